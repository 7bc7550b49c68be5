"use strict";
// The Schema provider by name (load.js says why).
module.exports = require("./load")("Schema");
