/**
 * The Temporal client the relay signals through. Its gRPC calls retry only briefly: the relay re-drives
 * every unsignalled row itself on its next pass, so the SDK's default (10 attempts, up to ~30 s) would only
 * pile up calls to a server that is away, and a call still retrying when the connection closes at
 * shutdown makes the SDK's retry timer throw "Channel has been shut down" as an uncaught exception.
 * Lazy: the worker starts (and its relay keeps the rows) even while Temporal is still coming up.
 */
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

export function createRelayTemporalClient({ address, namespace }: { address: string; namespace: string }): Client {
  const connection = Connection.lazy({
    address,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 }))],
  });
  return new Client({ connection, namespace });
}
