"use strict";
// The Filter provider by name (load.js says why).
module.exports = require("./load")("Filter");
