/** How far a long-running request has come; sent as `progress` messages under the request's id. */
export interface JobProgress {
  /** A short stable word for the stage: `load`, `session`, `warmup`, `runs`, `profile`, `sweep`… */
  readonly stage: string;
  /** Of the whole job, 0–1. */
  readonly fraction: number;
  /** A sentence for people: "Timed run 12 of 50". */
  readonly message: string;
}
