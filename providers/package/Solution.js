"use strict";
// The Solution provider by name (load.js says why).
module.exports = require("./load")("Solution");
