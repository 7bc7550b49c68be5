import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface NotificationsArgs {
  /** The account allowed to publish to the topic. */
  accountId: pulumi.Input<string>;
  /** Subscribed by email when given (AWS sends a confirmation mail first). */
  notificationEmail?: string;
}

/** The SNS topic the pipeline reports completion and failures to. */
export class Notifications extends pulumi.ComponentResource {
  public readonly topic: aws.sns.Topic;

  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("personalize:notifications:Notifications", name, {}, opts);
    const parent = { parent: this };

    this.topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: "alias/aws/sns" }, parent);
    new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        arn: this.topic.arn,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "OwnAccountOnly",
              Effect: "Allow",
              Principal: { AWS: pulumi.interpolate`arn:aws:iam::${args.accountId}:root` },
              Action: ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes"],
              Resource: this.topic.arn,
            },
          ],
        }),
      },
      parent,
    );
    if (args.notificationEmail) {
      new aws.sns.TopicSubscription(
        `${name}-email`,
        { topic: this.topic.arn, protocol: "email", endpoint: args.notificationEmail },
        parent,
      );
    }
    this.registerOutputs({ topicArn: this.topic.arn });
  }
}
