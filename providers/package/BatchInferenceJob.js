"use strict";
// The BatchInferenceJob provider by name (load.js says why).
module.exports = require("./load")("BatchInferenceJob");
