"use strict";
// The BatchSegmentJob provider by name (load.js says why).
module.exports = require("./load")("BatchSegmentJob");
