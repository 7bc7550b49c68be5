/** Every kind is a Pulumi dynamic resource of this module: `pulumi-nodejs:dynamic/personalize:Campaign`. */
export const RESOURCE_MODULE = "personalize";
export const RESOURCE_TYPE_PREFIX = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:`;
