"use strict";
// The DataDeletionJob provider by name (load.js says why).
module.exports = require("./load")("DataDeletionJob");
