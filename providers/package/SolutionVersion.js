"use strict";
// The SolutionVersion provider by name (load.js says why).
module.exports = require("./load")("SolutionVersion");
