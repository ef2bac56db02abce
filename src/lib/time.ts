// Seconds, as inputs, IAM and JWTs count, and milliseconds, as Node counts. Pure.

export const secondsToMs = (seconds: number): number => seconds * 1000;

export const msToSeconds = (ms: number): number => ms / 1000;
