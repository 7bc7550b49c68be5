"use strict";
// The DatasetGroup provider by name (load.js says why).
module.exports = require("./load")("DatasetGroup");
