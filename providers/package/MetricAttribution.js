"use strict";
// The MetricAttribution provider by name (load.js says why).
module.exports = require("./load")("MetricAttribution");
