"use strict";
// The DatasetImportJob provider by name (load.js says why).
module.exports = require("./load")("DatasetImportJob");
