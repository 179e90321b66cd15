package io.portcullis.gateway.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive timing for one connection, tenant or backend side. A peer that vanishes without a FIN
 * or RST (a host powered off, a partition, a NAT that forgot the flow) would otherwise hold a hijacked
 * session or a {@code logs -f} open for the kernel's default of two hours and more; with these values the
 * kernel drops it after {@code idleSeconds + intervalSeconds * count}.
 *
 * <p>Vert.x 5.0 options only switch keepalive on ({@code setTcpKeepAlive}); the timing options arrived in
 * 5.1, so they are set here on the Netty channel, once it exists. Unix-socket backends have no TCP and
 * are left alone: a daemon on this machine that dies closes its socket at once.
 *
 * @param idleSeconds idle time before the first probe ({@code TCP_KEEPIDLE})
 * @param intervalSeconds time between unanswered probes ({@code TCP_KEEPINTVL})
 * @param count unanswered probes before the connection is dropped ({@code TCP_KEEPCNT})
 */
public record TcpKeepAlive(int idleSeconds, int intervalSeconds, int count) {

  /** Sets keepalive and its timing on a TCP channel; returns false for a channel that is not TCP. */
  public boolean applyTo(Channel channel) {
    if (channel instanceof EpollSocketChannel) {
      channel.config().setOption(ChannelOption.SO_KEEPALIVE, true);
      channel.config().setOption(EpollChannelOption.TCP_KEEPIDLE, idleSeconds);
      channel.config().setOption(EpollChannelOption.TCP_KEEPINTVL, intervalSeconds);
      channel.config().setOption(EpollChannelOption.TCP_KEEPCNT, count);
      return true;
    }
    if (channel instanceof NioSocketChannel) {
      channel.config().setOption(ChannelOption.SO_KEEPALIVE, true);
      channel.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds);
      channel.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), intervalSeconds);
      channel.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), count);
      return true;
    }
    return false;
  }
}
