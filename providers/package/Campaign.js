"use strict";
// The Campaign provider by name (load.js says why).
module.exports = require("./load")("Campaign");
