/**
 * What an import's files hold, counted by reading them: rows, distinct users and items, and the
 * time range of TIMESTAMP. Personalize's API reports none of it for an import job, so the report
 * reads the CSV files now directly under the job's data location, as the import reads them
 * (`service/csv.ts`), one record at a time. Distinct users and items are counted exactly up to
 * `EXACT_IDS` of each, then estimated by a HyperLogLog sketch (data/distinct.ts, 16 KiB), so a
 * file of ten million users takes the memory of one of a hundred thousand; the report states the
 * estimate's error where it shows the count.
 */
import * as S3 from "@aws-sdk/client-s3";
import { Readable } from "stream";
import { parseS3Uri } from "../service/s3Uri";
import { CsvReader } from "../service/csv";
import { ESTIMATE_ERROR, HyperLogLog } from "../data/distinct";
import type { DataCounts } from "./modelsPage";

/** Distinct ids counted exactly (a Set) before the count becomes an estimate. */
export const EXACT_IDS = 100_000;

/** Distinct ids: a Set while small, then a HyperLogLog of them. */
export class DistinctCount {
  private exact: Set<string> | undefined = new Set();
  private sketch: HyperLogLog | undefined;

  constructor(private readonly exactUpTo = EXACT_IDS) {}

  add(id: string): void {
    if (this.exact) {
      this.exact.add(id);
      if (this.exact.size <= this.exactUpTo) return;
      this.sketch = HyperLogLog.of(this.exact);
      this.exact = undefined;
    } else this.sketch!.addString(id);
  }

  /** The count, and when it is an estimate, its relative error (three standard errors). */
  get value(): { count: number; estimatedWithin?: number } {
    return this.exact
      ? { count: this.exact.size }
      : { count: this.sketch!.count(), estimatedWithin: ESTIMATE_ERROR };
  }
}

export async function countData(
  s3: S3.S3Client,
  location: string,
  now = new Date(),
): Promise<DataCounts> {
  const where = parseS3Uri(location);
  if (!where) throw new Error(`"${location}" is not an s3://bucket/prefix/ location`);
  // A location that names one file imports that file; a folder, the CSV files directly in it.
  const keys: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new S3.ListObjectsV2Command({
        Bucket: where.bucket,
        Prefix: where.key,
        Delimiter: "/",
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? [])
      if (object.Key!.toLowerCase().endsWith(".csv"))
        keys.push({ key: object.Key!, size: object.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  const users = new DistinctCount();
  const items = new DistinctCount();
  const counts: DataCounts = {
    files: keys.length,
    bytes: keys.reduce((n, k) => n + k.size, 0),
    rows: 0,
    location,
    countedAt: now.toISOString(),
  };
  let sawUsers = false;
  let sawItems = false;
  for (const { key } of keys) {
    const body = (await s3.send(new S3.GetObjectCommand({ Bucket: where.bucket, Key: key })))
      .Body as Readable;
    let columns: { user: number; item: number; time: number } | undefined;
    const reader = new CsvReader((fields, _row, issue) => {
      if (!columns) {
        const at = (name: string) => fields.findIndex((f) => f.trim().toUpperCase() === name);
        columns = { user: at("USER_ID"), item: at("ITEM_ID"), time: at("TIMESTAMP") };
        sawUsers ||= columns.user >= 0;
        sawItems ||= columns.item >= 0;
        return;
      }
      if (issue) return;
      counts.rows++;
      if (columns.user >= 0 && fields[columns.user]) users.add(fields[columns.user]);
      if (columns.item >= 0 && fields[columns.item]) items.add(fields[columns.item]);
      const time = columns.time >= 0 ? Number(fields[columns.time]) : NaN;
      if (Number.isFinite(time)) {
        counts.from = counts.from === undefined ? time : Math.min(counts.from, time);
        counts.to = counts.to === undefined ? time : Math.max(counts.to, time);
      }
    });
    for await (const chunk of body) reader.write(chunk as Buffer);
    reader.end();
  }
  const [user, item] = [users.value, items.value];
  if (sawUsers) counts.users = user.count;
  if (sawItems) counts.items = item.count;
  const within = (sawUsers ? user : {}).estimatedWithin ?? (sawItems ? item : {}).estimatedWithin;
  if (within !== undefined)
    counts.estimated = {
      within,
      users: sawUsers && user.estimatedWithin !== undefined,
      items: sawItems && item.estimatedWithin !== undefined,
    };
  return counts;
}
