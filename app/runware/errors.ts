import type { ErrorItem } from './protocol';

// One error type for everything the service or the network can do wrong. `retryable` is decided
// here, once: 408, 429, 5xx, timeouts and broken connections yes; 400/401/402/403 never.

export interface RunwareErrorInit {
  code: string;
  message: string;
  status?: number;
  retryable: boolean;
  parameter?: string | readonly string[];
  taskUUID?: string;
  allowedValues?: readonly unknown[];
  documentation?: string;
  /** The server's Retry-After, when it sent one. */
  retryAfterMs?: number;
}

export class RunwareError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly parameter: string | readonly string[] | undefined;
  readonly taskUUID: string | undefined;
  readonly allowedValues: readonly unknown[] | undefined;
  readonly documentation: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: RunwareErrorInit) {
    super(init.message);
    this.name = 'RunwareError';
    this.code = init.code;
    this.status = init.status;
    this.retryable = init.retryable;
    this.parameter = init.parameter;
    this.taskUUID = init.taskUUID;
    this.allowedValues = init.allowedValues;
    this.documentation = init.documentation;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Plain data for journals and the renderer. */
  toJSON(): RunwareErrorInit {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.status !== undefined && { status: this.status }),
      ...(this.parameter !== undefined && { parameter: this.parameter }),
      ...(this.taskUUID !== undefined && { taskUUID: this.taskUUID }),
      ...(this.allowedValues !== undefined && { allowedValues: this.allowedValues }),
      ...(this.documentation !== undefined && { documentation: this.documentation }),
    };
  }
}

const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

const STATUS_CODES: Record<number, string> = {
  400: 'invalidRequest',
  401: 'invalidApiKey',
  402: 'insufficientBalance',
  403: 'forbidden',
  408: 'timeout',
  429: 'queueFull',
  500: 'serverError',
  502: 'badGateway',
  503: 'serviceUnavailable',
  504: 'timeoutProvider',
};

export function fromErrorItem(item: ErrorItem, status?: number, retryAfterMs?: number): RunwareError {
  const code = item.code ?? (status !== undefined ? (STATUS_CODES[status] ?? `http${status}`) : 'unknownError');
  return new RunwareError({
    code,
    message: item.message ?? (status !== undefined ? `the service answered HTTP ${status}` : 'the service reported an error'),
    retryable: status !== undefined ? retryableStatus(status) : /^timeout|Timeout$/.test(code),
    ...(status !== undefined && { status }),
    ...(item.parameter !== undefined && { parameter: item.parameter }),
    ...(item.taskUUID !== undefined && { taskUUID: item.taskUUID }),
    ...(item.allowedValues !== undefined && { allowedValues: item.allowedValues }),
    ...(item.documentation !== undefined && { documentation: item.documentation }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}

export const networkError = (message: string) => new RunwareError({ code: 'networkError', message, retryable: true });
