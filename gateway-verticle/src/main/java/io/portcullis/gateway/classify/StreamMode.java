package io.portcullis.gateway.classify;

/** How the bytes of a call flow once it is forwarded. */
public enum StreamMode {
  /** An ordinary request and response; bodies may still be large (cp, save, load) and are streamed. */
  PLAIN,
  /** A response that stays open and trickles (logs -f, events, stats, wait, pull progress): never cut for idleness. */
  STREAMING,
  /** The connection may become a raw full-duplex stream (attach, exec start, attach/ws, BuildKit session and grpc). */
  HIJACK
}
