/** A service error as AWS JSON 1.1 sends it: `{"__type", "message"}` with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const notFound = (what: string) =>
  new ApiError("ResourceNotFoundException", `Could not find ${what}.`);
export const inUse = (message: string) => new ApiError("ResourceInUseException", message);
export const alreadyExists = (what: string) =>
  new ApiError("ResourceAlreadyExistsException", `${what} already exists.`);
export const invalid = (message: string) => new ApiError("InvalidInputException", message);
export const limitExceeded = (message: string) => new ApiError("LimitExceededException", message);
