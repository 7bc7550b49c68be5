/**
 * The pipeline's program, from the personalize-mlops package: it reads the stack's
 * `personalize-mlops:` config (the params, where the data is, an existing role), checks it and the
 * data, and declares the pipeline. Its outputs are the stack's outputs.
 */
import program = require("personalize-mlops");
export = program;
