"use strict";
// The Recommender provider by name (load.js says why).
module.exports = require("./load")("Recommender");
