package io.portcullis.gateway.edge;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust at the TLS layer for the tenants' listener: any client certificate is taken (the handshake
 * still proves the client holds its private key), and who it belongs to is decided afterwards by the
 * auth verticle, which knows both the gateway's CA and the tenants' registered keys. The list of
 * acceptable issuers sent to clients is empty on purpose: with a list, Go clients (the docker CLI)
 * send no certificate that was not issued by one of them, and self-signed certificates of registered
 * keys could never be presented.
 */
public final class AnyClientCertificateTrust implements TrustOptions {
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private static final X509ExtendedTrustManager TRUST_MANAGER = new X509ExtendedTrustManager() {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      requireCertificate(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      requireCertificate(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      requireCertificate(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("this trust manager is for client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("this trust manager is for client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      throw new CertificateException("this trust manager is for client certificates only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return NO_ISSUERS;
    }

    private void requireCertificate(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("a client certificate is required");
      }
    }
  };

  @Override
  public TrustOptions copy() {
    return this;
  }

  @Override
  public TrustManagerFactory getTrustManagerFactory(Vertx vertx) {
    return new SimpleTrustManagerFactory() {
      @Override
      protected void engineInit(KeyStore keyStore) {
      }

      @Override
      protected void engineInit(ManagerFactoryParameters params) {
      }

      @Override
      protected TrustManager[] engineGetTrustManagers() {
        return new TrustManager[] {TRUST_MANAGER};
      }
    };
  }

  @Override
  public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) {
    return serverName -> new TrustManager[] {TRUST_MANAGER};
  }
}
