"use strict";
// The EventTracker provider by name (load.js says why).
module.exports = require("./load")("EventTracker");
