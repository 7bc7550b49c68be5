export type { Tag } from "../service/tags";
