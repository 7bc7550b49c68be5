/**
 * The Pulumi program: read the stack config, check it and the data as a whole, build the
 * pipeline, export what a user needs. Render the params into the stack config with
 * `npm run params -- <file>`. The data checks stream the files, so the program is async:
 * Pulumi awaits the exported function and takes what it returns as the stack's outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { PersonalizePipeline } from "./components";
import { checkPipelineConfig } from "./data";

export = async () => {
  const config = new pulumi.Config();
  const pipeline = new PersonalizePipeline(
    "personalize",
    await checkPipelineConfig({
      params: config.getObject("params") ?? config.require("params"),
      dataDir: config.get("dataDir"),
      dataLocation: config.get("dataLocation"),
      notificationEmail: config.get("notificationEmail"),
      namePrefix: config.get("namePrefix"),
      roleArn: config.get("roleArn"),
      topicArn: config.get("topicArn"),
      outputLocation: config.get("outputLocation"),
    }),
  );
  // A stack of existing infrastructure has no bucket (and maybe no topic): no such output then.
  return Object.fromEntries(Object.entries(pipeline.outputs).filter(([, v]) => v !== undefined));
};
