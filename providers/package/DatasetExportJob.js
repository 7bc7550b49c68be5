"use strict";
// The DatasetExportJob provider by name (load.js says why).
module.exports = require("./load")("DatasetExportJob");
