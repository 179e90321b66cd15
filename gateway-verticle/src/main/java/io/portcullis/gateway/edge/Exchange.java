package io.portcullis.gateway.edge;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;

/** One request being served on a client connection: forwarded to one host, or spanning several. */
interface Exchange {
  HttpRequest request();

  /** A piece of the request body the client sent. */
  void onClientContent(HttpContent content);

  void onClientClosed();

  /** Whether the whole request body was read from the client. */
  boolean requestComplete();

  /** Fails the exchange; answers in Docker's shape if nothing was sent yet. */
  void fail(Throwable err);
}
