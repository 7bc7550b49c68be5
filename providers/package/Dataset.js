"use strict";
// The Dataset provider by name (load.js says why).
module.exports = require("./load")("Dataset");
