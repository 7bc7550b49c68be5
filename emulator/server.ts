/**
 * The emulator's HTTP server on 127.0.0.1: Personalize's control plane (AWS JSON 1.1,
 * `X-Amz-Target: AmazonPersonalize.<Op>`), its runtime (REST JSON `/recommendations`,
 * `/personalize-ranking`), its events API (`/events`, `/items`, `/users`), SNS `Publish` (recorded),
 * EventBridge `PutEvents` (kept), and an admin API under `/_emulator/`.
 */
import { randomUUID } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import { forgetCaches } from "./data/datasets";
import { forgetModels } from "./data/versionModels";
import { ApiError } from "./engine/errors";
import { injectCallFault, parseFaults } from "./engine/faults";
import { DEFAULT_QUOTAS, type Context, type Quotas } from "./engine/kind";
import { violations, validationMessage, type ServiceModel } from "./engine/shapes";
import {
  eventBridgeModel,
  eventsModel,
  personalizeModel,
  runtimeModel,
} from "../service/botocoreModels";
import { EVENTS_PATHS } from "./events";
import { createEventBus, deleteEventBus, describeEventBus, putEvents } from "./eventbridge";
import { Store } from "./engine/store";
import { HANDLERS, READ_ONLY } from "./kinds";
import { trainOnSchedule } from "./kinds/autoTraining";
import { getPersonalizedRanking, getRecommendations } from "./runtime";
import { isS3Request, S3Api } from "./s3";
import { EMULATOR_ACCOUNT } from "./engine/kind";

export const controlModel: ServiceModel = personalizeModel;
export { runtimeModel };

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Multiplies every operation's duration (0.001: an hour of training takes 3.6 s). Defaults to 1. */
  timeScale?: number;
  /** The S3 store: the S3 API, import jobs and batch jobs read and write `s3://B/K` at `<dataDir>/B/K` (import jobs also `<dataDir>/K`). */
  dataDir?: string;
  /** Fault spec, e.g. `CreateSolutionVersion=fail:1,DescribeCampaign=throttle:0.3`. */
  faults?: string;
  /** State file: written atomically on every change, reloaded on start. */
  stateFile?: string;
  /** Seed of the fault draws. Defaults to 1. */
  seed?: number;
  account?: string;
  /** The S3 API's region (what GetBucketLocation answers). Defaults to us-east-1. */
  region?: string;
  quotas?: Partial<Quotas>;
  clock?: () => number;
  /** Sees every successful response body (tests hold them to the model's output shapes). */
  onResponse?: (operation: string, body: Record<string, any>) => void;
}

export interface Emulator {
  endpoint: string;
  port: number;
  store: Store;
  /**
   * What a client needs to reach this emulator and keep its time: the endpoint variables, and the
   * schedule clock (`PERSONALIZE_MLOPS_CLOCK_ORIGIN` with `PERSONALIZE_MLOPS_TIME_SCALE`), which
   * runs 1/timeScale times as fast as real time from the emulator's start, as its operations do.
   */
  env: Record<string, string>;
  close(): Promise<void>;
}

const RUNTIME_PATHS: Record<string, [string, (request: any, ctx: Context) => Record<string, any>]> =
  {
    "/recommendations": ["GetRecommendations", getRecommendations],
    "/personalize-ranking": ["GetPersonalizedRanking", getPersonalizedRanking],
  };

/** EventBridge's operations the emulator plays (`X-Amz-Target: AWSEvents.<operation>`). */
const EVENTBRIDGE_HANDLERS: Record<string, (request: any, ctx: Context) => Record<string, any>> = {
  PutEvents: putEvents,
  CreateEventBus: createEventBus,
  DescribeEventBus: describeEventBus,
  DeleteEventBus: deleteEventBus,
};

function regionOf(request: http.IncomingMessage): string {
  const match = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(
    String(request.headers.authorization ?? ""),
  );
  return match?.[1] ?? "us-east-1";
}

function send(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  contentType = "application/x-amz-json-1.1",
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  response.writeHead(status, {
    "content-type": contentType,
    "x-amzn-requestid": randomUUID(),
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function sendError(response: http.ServerResponse, error: unknown): void {
  if (error instanceof ApiError)
    return send(response, error.status, { __type: error.type, message: error.message });
  console.error(error);
  send(response, 500, { __type: "InternalFailure", message: (error as Error).message });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = new Store(options.stateFile, options.clock);
  store.dataDir = options.dataDir;
  if (options.faults !== undefined) store.faults = parseFaults(options.faults, options.seed ?? 1);
  const quotas = { ...DEFAULT_QUOTAS, ...options.quotas };
  const context = (request: http.IncomingMessage, operation: string): Context => ({
    store,
    region: regionOf(request),
    account: options.account ?? EMULATOR_ACCOUNT,
    scale: options.timeScale ?? 1,
    dataDir: options.dataDir,
    operation,
    now: store.now(),
    quotas,
  });

  /**
   * One API call: fault injection, model validation, the handler, the call count, the state write.
   * A request the model refuses is `invalid`'s error (Personalize's InvalidInputException).
   */
  function call(
    model: ServiceModel,
    operation: string,
    body: Record<string, any>,
    request: http.IncomingMessage,
    handler: (r: any, c: Context) => Record<string, any>,
    invalid = "InvalidInputException",
  ) {
    store.calls[operation] = (store.calls[operation] ?? 0) + 1;
    injectCallFault(store.faults, operation);
    const shape = model.operations[operation]?.input?.shape;
    const found = shape ? violations(model, shape, body) : [];
    if (found.some((v) => v.kind === "type"))
      throw new ApiError("SerializationException", found.find((v) => v.kind === "type")!.message);
    if (found.length > 0) throw new ApiError(invalid, validationMessage(found));
    const ctx = context(request, operation);
    const trained = trainOnSchedule(ctx);
    const result = JSON.parse(JSON.stringify(handler(body, ctx)));
    if (!READ_ONLY.test(operation) || trained > 0) store.save();
    options.onResponse?.(operation, result);
    return result;
  }

  function admin(path: string, method: string, body: string, response: http.ServerResponse): void {
    if (method === "GET" && path === "/_emulator/inventory") {
      return send(
        response,
        200,
        store.all().map((r) => ({
          arn: r.arn,
          kind: r.kind,
          name: r.name,
          status: r.timeline.length ? store.status(r) : "ACTIVE",
        })),
        "application/json",
      );
    }
    if (method === "GET" && path === "/_emulator/clock") {
      const scale = options.timeScale ?? 1;
      const now = store.clockOrigin + (Date.now() - store.clockOrigin) / (scale > 0 ? scale : 1);
      return send(
        response,
        200,
        { now: new Date(now).toISOString(), origin: store.clockOrigin, timeScale: scale },
        "application/json",
      );
    }
    if (method === "GET" && path === "/_emulator/calls")
      return send(response, 200, store.calls, "application/json");
    if (method === "GET" && path === "/_emulator/messages")
      return send(response, 200, store.messages, "application/json");
    if (method === "GET" && path === "/_emulator/events")
      return send(response, 200, store.events, "application/json");
    if (method === "POST" && path === "/_emulator/faults") {
      const spec = body.trim().startsWith("{") ? JSON.parse(body).spec : body;
      store.faults = parseFaults(String(spec ?? ""), store.faults.seed);
      store.save();
      return send(response, 200, store.faults, "application/json");
    }
    if (method === "POST" && path === "/_emulator/reset") {
      store.reset();
      forgetCaches();
      forgetModels();
      return send(response, 200, {}, "application/json");
    }
    send(response, 404, { message: `no admin route ${method} ${path}` }, "application/json");
  }

  /** SNS Publish (AWS Query protocol), recorded for the demo and tests. */
  function sns(body: string, response: http.ServerResponse): void {
    const form = new URLSearchParams(body);
    if (form.get("Action") !== "Publish") {
      return send(
        response,
        400,
        `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The emulator only supports SNS Publish.</Message></Error></ErrorResponse>`,
        "text/xml",
      );
    }
    const messageId = randomUUID();
    store.messages.push({
      messageId,
      topicArn: form.get("TopicArn"),
      subject: form.get("Subject") ?? undefined,
      message: form.get("Message"),
      at: store.now() / 1000,
    });
    store.calls["SNS.Publish"] = (store.calls["SNS.Publish"] ?? 0) + 1;
    store.save();
    send(
      response,
      200,
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      "text/xml",
    );
  }

  const s3 = options.dataDir
    ? new S3Api(
        options.dataDir,
        options.region ?? "us-east-1",
        (operation) => (store.calls[`S3.${operation}`] = (store.calls[`S3.${operation}`] ?? 0) + 1),
      )
    : undefined;

  const server = http.createServer((request, response) => {
    // S3 bodies (data files) are streamed to and from the store, never collected here.
    if (isS3Request(request)) {
      if (s3) return void s3.handle(request, response);
      request.resume();
      return send(
        response,
        501,
        "<Error><Code>NotImplemented</Code><Message>The emulator was started without a data folder (--data-dir), so it serves no S3.</Message></Error>",
        "application/xml",
      );
    }
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const path = (request.url ?? "/").split("?")[0];
      try {
        if (path.startsWith("/_emulator/"))
          return admin(path, request.method ?? "GET", text, response);
        const target = String(request.headers["x-amz-target"] ?? "");
        if (target.startsWith("AmazonPersonalize.")) {
          const operation = target.slice("AmazonPersonalize.".length);
          const handler = HANDLERS[operation];
          if (!handler || !controlModel.operations[operation])
            throw new ApiError(
              "UnknownOperationException",
              `Operation ${operation} is not supported by the emulator.`,
            );
          const body = text.trim() ? JSON.parse(text) : {};
          return send(response, 200, call(controlModel, operation, body, request, handler));
        }
        if (target.startsWith("AWSEvents.")) {
          const operation = target.slice("AWSEvents.".length);
          const handler = EVENTBRIDGE_HANDLERS[operation];
          if (!handler)
            throw new ApiError(
              "UnknownOperationException",
              `Operation ${operation} is not supported by the emulator.`,
            );
          const body = text.trim() ? JSON.parse(text) : {};
          const answer = call(
            eventBridgeModel,
            operation,
            body,
            request,
            handler,
            "ValidationException",
          );
          return send(response, 200, answer);
        }
        const runtime = RUNTIME_PATHS[path];
        if (runtime && request.method === "POST") {
          const body = text.trim() ? JSON.parse(text) : {};
          return send(
            response,
            200,
            call(runtimeModel, runtime[0], body, request, runtime[1]),
            "application/json",
          );
        }
        const events = EVENTS_PATHS[path];
        if (events && request.method === "POST") {
          const body = text.trim() ? JSON.parse(text) : {};
          return send(
            response,
            200,
            call(eventsModel, events[0], body, request, events[1]),
            "application/json",
          );
        }
        if (
          String(request.headers["content-type"] ?? "").startsWith(
            "application/x-www-form-urlencoded",
          )
        )
          return sns(text, response);
        send(response, 404, {
          __type: "UnknownOperationException",
          message: `No operation at ${request.method} ${path}`,
        });
      } catch (error) {
        if (error instanceof SyntaxError)
          return send(response, 400, { __type: "SerializationException", message: error.message });
        sendError(response, error);
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    store,
    env: {
      AWS_ENDPOINT_URL_PERSONALIZE: endpoint,
      AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME: endpoint,
      AWS_ENDPOINT_URL_PERSONALIZE_EVENTS: endpoint,
      AWS_ENDPOINT_URL_SNS: endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint,
      ...(options.dataDir !== undefined && { AWS_ENDPOINT_URL_S3: endpoint }),
      PERSONALIZE_MLOPS_TIME_SCALE: String(options.timeScale ?? 1),
      PERSONALIZE_MLOPS_CLOCK_ORIGIN: String(store.clockOrigin),
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
