/**
 * Who may call what, over which transport, and with how much: API-key authentication and role
 * authorization for the REST and gRPC frontends, TLS and mutual TLS for their ports, and the guards
 * that check client-supplied model names, versions and tensor sizes before a request reaches the
 * engine.
 *
 * <p>{@link dev.infera.server.security.AccessPolicy} is the one table from endpoints to the role
 * they need. {@link dev.infera.server.security.Security} is what the assembly wires in. Depends on
 * Armeria and grpc-java (decorators, interceptors, TLS), Jackson (the auth file), Micrometer (the
 * failure counter), infera-spi's error codes and infera-core's name rule; never on the engine or on
 * a frontend's internals.
 */
package dev.infera.server.security;
