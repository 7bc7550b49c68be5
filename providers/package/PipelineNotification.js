"use strict";
// The PipelineNotification provider by name (load.js says why).
module.exports = require("./load")("PipelineNotification");
