package io.portcullis.gateway.channel;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * One write syscall per burst instead of one per message. A proxied response is several messages
 * (head, body chunks, end) produced by one read from the other socket; Vert.x flushes each write made
 * outside the socket's own read. Netty's {@link FlushConsolidationHandler} defers those flushes to the
 * end of the current event-loop task, so the burst leaves in one write. Measured with wrk on 2 cores:
 * about 10-15% more proxied {@code /_ping} and {@code /containers/json} per second.
 */
public final class FlushBatching {
  static final String NAME = "portcullis-flush-batching";

  private FlushBatching() {}

  public static void install(ChannelPipeline pipeline) {
    if (pipeline.get(NAME) == null) {
      pipeline.addFirst(NAME, new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }
  }
}
