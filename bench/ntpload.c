/*
 * ntpload: closed-loop NTPv4 client load generator for benchmarking an NTP server on loopback.
 *
 *   ntpload HOST PORT -c CONCURRENCY -d SECONDS [-6] [-k KEYID:ALGO:HEXKEY] [-s SOCKETS] [-b SENDBATCH]
 *
 * Keeps CONCURRENCY mode-3 requests in flight, spread over SOCKETS connected UDP sockets, with
 * sendmmsg/recvmmsg. Each request's transmit timestamp is the CLOCK_REALTIME send time with its
 * low SLOT_BITS bits replaced by the request's slot number, so a response is matched to its
 * request by the origin timestamp alone (and a stale answer to an earlier use of the slot is told
 * apart by comparing all 64 bits). ALGO is MD5 or AES128 (AES-128-CMAC, RFC 8573).
 *
 * For every response: validation (mode 4, version 4, origin matches an outstanding request,
 * leap != 3, stratum 1..15, exact length, MAC when keyed), RTT = t4 - t1, and the server's
 * timestamp error offset = ((t2 - t1) + (t3 - t4)) / 2, which is zero on loopback where client
 * and server read one clock. t4 is the kernel's receive timestamp (SO_TIMESTAMPNS), so client-side
 * queueing does not bias the offset; t1 is read just before the sendmmsg call and interpolated
 * over the packets of the call (each packet's send takes a few µs on loopback).
 * A request unanswered for 5 ms is counted lost and sent again.
 *
 * Output, one line: rps= sent= received= invalid= lost= p50_us= p99_us= offset_mean_us=
 * offset_sd_us= late= send_errors=   (received counts valid responses only; late counts answers
 * to requests already declared lost).
 *
 * Build: cc -O2 -o ntpload ntpload.c -lcrypto -lm   (OpenSSL >= 3.0 headers: Debian libssl-dev)
 *    or: cc -O2 -DNTPLOAD_NO_CRYPTO -o ntpload ntpload.c -lm   (no -k)
 * Safety: the run is bounded (SECONDS <= 30, plus an alarm() watchdog); nothing here touches the
 * system clock.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NTPLOAD_NO_CRYPTO
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#endif

#define MAX_DURATION_S 30.0
#define SLOT_BITS 12
#define MAX_CONCURRENCY (1 << SLOT_BITS)
#define MAX_SOCKETS 64
#define RECV_BATCH 64
#define MAX_SEND_BATCH 64
#define RECV_BUF_LEN 1024 /* larger than any valid reply: oversized replies are seen, not truncated */
#define NTP_HEADER_LEN 48
#define KEY_ID_LEN 4
#define DIGEST_LEN 16 /* MD5 and AES-CMAC */
#define MAX_SECRET_LEN 64
#define LOSS_TIMEOUT_NS 5000000LL
#define SWEEP_INTERVAL_NS 1000000LL
#define HIST_BUCKET_NS 100
#define HIST_BUCKETS 500000 /* 100 ns buckets up to 50 ms */
#define NTP_UNIX_OFFSET 2208988800LL
#define NS_PER_S 1000000000LL

enum mac_alg { ALG_NONE, ALG_MD5, ALG_CMAC };

struct slot {
  int64_t t1_ns;        /* CLOCK_REALTIME send time */
  int64_t sent_mono_ns; /* for the loss timeout */
  uint64_t xmt;         /* transmit timestamp of the outstanding request */
  uint64_t stale_xmt;   /* transmit timestamp of the request last declared lost */
  int outstanding;
};

struct sock {
  int fd;
  int pending[MAX_CONCURRENCY]; /* slots waiting to be sent, a stack */
  int npending;
};

static struct slot slots[MAX_CONCURRENCY];
static struct sock socks[MAX_SOCKETS];
static uint32_t hist[HIST_BUCKETS];
static volatile sig_atomic_t stop_requested;
static uint64_t run_start_xmt; /* transmit timestamp at start: older origins are not ours */

static struct {
  uint64_t sent, received, invalid, lost, late, send_errors;
  double offset_mean, offset_m2; /* Welford, ns */
} st;

static struct {
  enum mac_alg alg;
  uint32_t id;
  unsigned char secret[MAX_SECRET_LEN];
  size_t len;
} key;

static int64_t clock_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static uint64_t unix_ns_to_ntp(int64_t ns) {
  uint64_t sec = (uint64_t)(ns / NS_PER_S + NTP_UNIX_OFFSET);
  uint64_t frac = ((uint64_t)(ns % NS_PER_S) << 32) / NS_PER_S;
  return (sec << 32) | frac;
}

/* Unix ns of an NTP timestamp, in the era closest to ref_ns (RFC 5905 §6). */
static int64_t ntp_to_unix_ns(uint64_t ntp, int64_t ref_ns) {
  uint32_t ref_sec = (uint32_t)(ref_ns / NS_PER_S + NTP_UNIX_OFFSET);
  int64_t sec = ref_ns / NS_PER_S + (int32_t)((uint32_t)(ntp >> 32) - ref_sec);
  int64_t frac_ns = (int64_t)(((ntp & 0xffffffffULL) * NS_PER_S + (1ULL << 31)) >> 32);
  return sec * NS_PER_S + frac_ns;
}

static uint64_t get_be64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

static void put_be64(unsigned char *p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* ---- MACs: legacy keyed MD5 = MD5(key || packet) (RFC 5905 §7.3); AES-128-CMAC (RFC 8573) ---- */

#ifndef NTPLOAD_NO_CRYPTO
static EVP_MD *md5;
static EVP_MD_CTX *md_ctx;
static EVP_MAC_CTX *cmac_ctx;

static int mac_init(void) {
  if (key.alg == ALG_MD5) {
    md5 = EVP_MD_fetch(NULL, "MD5", NULL);
    md_ctx = EVP_MD_CTX_new();
    return md5 && md_ctx ? 0 : -1;
  }
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
  if (!mac) return -1;
  cmac_ctx = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);
  char cipher[] = "AES-128-CBC";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                         OSSL_PARAM_construct_end()};
  return cmac_ctx && EVP_MAC_init(cmac_ctx, key.secret, key.len, params) == 1 ? 0 : -1;
}

static void mac_compute(const unsigned char *data, size_t len, unsigned char *out) {
  if (key.alg == ALG_MD5) {
    unsigned int n;
    EVP_DigestInit_ex(md_ctx, md5, NULL);
    EVP_DigestUpdate(md_ctx, key.secret, key.len);
    EVP_DigestUpdate(md_ctx, data, len);
    EVP_DigestFinal_ex(md_ctx, out, &n);
    return;
  }
  size_t n;
  EVP_MAC_init(cmac_ctx, NULL, 0, NULL); /* restart with the key already set */
  EVP_MAC_update(cmac_ctx, data, len);
  EVP_MAC_final(cmac_ctx, out, &n, DIGEST_LEN);
}
#else
static int mac_init(void) { return -1; }
static void mac_compute(const unsigned char *data, size_t len, unsigned char *out) {
  (void)data, (void)len, (void)out;
}
#endif

static int parse_key(const char *arg) {
  char algo[16];
  char hex[2 * MAX_SECRET_LEN + 1];
  unsigned long id;
  if (sscanf(arg, "%lu:%15[^:]:%128s", &id, algo, hex) != 3 || id == 0 || id > 0xffffffffUL) return -1;
  key.id = (uint32_t)id;
  if (!strcasecmp(algo, "MD5")) key.alg = ALG_MD5;
  else if (!strcasecmp(algo, "AES128") || !strcasecmp(algo, "AES-128-CMAC")) key.alg = ALG_CMAC;
  else return -1;
  size_t n = strlen(hex);
  if (n == 0 || n % 2) return -1;
  key.len = n / 2;
  for (size_t i = 0; i < key.len; i++) {
    unsigned int byte;
    if (sscanf(hex + 2 * i, "%2x", &byte) != 1) return -1;
    key.secret[i] = (unsigned char)byte;
  }
  if (key.alg == ALG_CMAC && key.len != 16) return -1;
  return mac_init();
}

static size_t request_len(void) { return key.alg == ALG_NONE ? NTP_HEADER_LEN : NTP_HEADER_LEN + KEY_ID_LEN + DIGEST_LEN; }

/* ---- requests ---- */

static void build_request(unsigned char *p, int slot_index, int64_t now_ns) {
  memset(p, 0, NTP_HEADER_LEN);
  p[0] = (0 << 6) | (4 << 3) | 3; /* LI 0, VN 4, mode 3 (client) */
  p[2] = 6;                       /* poll 2^6 s, a plausible client */
  p[3] = (unsigned char)-20;      /* precision ~1 µs */
  uint64_t xmt = (unix_ns_to_ntp(now_ns) & ~(uint64_t)(MAX_CONCURRENCY - 1)) | (uint64_t)slot_index;
  put_be64(p + 40, xmt);
  slots[slot_index].xmt = xmt;
  if (key.alg != ALG_NONE) {
    p[48] = (unsigned char)(key.id >> 24), p[49] = (unsigned char)(key.id >> 16);
    p[50] = (unsigned char)(key.id >> 8), p[51] = (unsigned char)key.id;
    mac_compute(p, NTP_HEADER_LEN, p + NTP_HEADER_LEN + KEY_ID_LEN);
  }
}

static void flush_pending(struct sock *s, int send_batch) {
  static unsigned char buf[MAX_SEND_BATCH][NTP_HEADER_LEN + KEY_ID_LEN + DIGEST_LEN];
  static struct iovec iov[MAX_SEND_BATCH];
  static struct mmsghdr msgs[MAX_SEND_BATCH];
  size_t len = request_len();
  while (s->npending > 0) {
    int k = s->npending < send_batch ? s->npending : send_batch;
    int64_t build_ns = clock_ns(CLOCK_REALTIME);
    for (int j = 0; j < k; j++) {
      build_request(buf[j], s->pending[s->npending - 1 - j], build_ns);
      iov[j].iov_base = buf[j];
      iov[j].iov_len = len;
      memset(&msgs[j], 0, sizeof msgs[j]);
      msgs[j].msg_hdr.msg_iov = &iov[j];
      msgs[j].msg_hdr.msg_iovlen = 1;
    }
    int64_t t_start = clock_ns(CLOCK_REALTIME);
    int sent = sendmmsg(s->fd, msgs, (unsigned)k, 0);
    int64_t t_end = clock_ns(CLOCK_REALTIME);
    if (sent <= 0) {
      if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) st.send_errors++;
      return; /* retry on the next loop turn */
    }
    int64_t mono = clock_ns(CLOCK_MONOTONIC);
    for (int j = 0; j < sent; j++) {
      struct slot *sl = &slots[s->pending[s->npending - 1 - j]];
      sl->t1_ns = t_start + (t_end - t_start) * j / sent;
      sl->sent_mono_ns = mono;
      sl->outstanding = 1;
    }
    s->npending -= sent;
    st.sent += (uint64_t)sent;
    if (sent < k) return;
  }
}

/* ---- responses ---- */

static void record(int64_t t1, int64_t t2, int64_t t3, int64_t t4) {
  int64_t rtt = t4 - t1;
  int64_t bucket = rtt < 0 ? 0 : rtt / HIST_BUCKET_NS;
  hist[bucket < HIST_BUCKETS ? bucket : HIST_BUCKETS - 1]++;
  double offset = ((double)(t2 - t1) + (double)(t3 - t4)) / 2.0;
  st.received++;
  double delta = offset - st.offset_mean;
  st.offset_mean += delta / (double)st.received;
  st.offset_m2 += delta * (offset - st.offset_mean);
}

static int reply_valid(const unsigned char *p, size_t len) {
  int leap = p[0] >> 6, version = (p[0] >> 3) & 7, mode = p[0] & 7, stratum = p[1];
  if (mode != 4 || version != 4 || leap == 3 || stratum < 1 || stratum > 15) return 0;
  if (get_be64(p + 32) == 0 || get_be64(p + 40) == 0) return 0;
  if (len != request_len()) return 0;
  if (key.alg == ALG_NONE) return 1;
  unsigned char digest[DIGEST_LEN] = {0};
  if (get_be32(p + NTP_HEADER_LEN) != key.id) return 0;
  mac_compute(p, NTP_HEADER_LEN, digest);
  return memcmp(digest, p + NTP_HEADER_LEN + KEY_ID_LEN, DIGEST_LEN) == 0;
}

static void handle_reply(struct sock *s, const unsigned char *p, size_t len, int64_t t4, int concurrency) {
  if (len < NTP_HEADER_LEN) {
    st.invalid++;
    return;
  }
  uint64_t origin = get_be64(p + 24);
  int index = (int)(origin & (MAX_CONCURRENCY - 1));
  struct slot *sl = &slots[index];
  if (index >= concurrency || !sl->outstanding || sl->xmt != origin) {
    /* An earlier request of this slot, sent during this run, that was declared lost. */
    if (index < concurrency && origin >= run_start_xmt && origin <= sl->stale_xmt) st.late++;
    else st.invalid++;
    return;
  }
  sl->outstanding = 0;
  s->pending[s->npending++] = index;
  if (!reply_valid(p, len)) {
    st.invalid++;
    return;
  }
  int64_t t2 = ntp_to_unix_ns(get_be64(p + 32), sl->t1_ns);
  int64_t t3 = ntp_to_unix_ns(get_be64(p + 40), sl->t1_ns);
  record(sl->t1_ns, t2, t3, t4);
}

static void receive_all(struct sock *s, int concurrency) {
  static unsigned char buf[RECV_BATCH][RECV_BUF_LEN];
  static char ctrl[RECV_BATCH][CMSG_SPACE(sizeof(struct timespec)) + 64];
  static struct iovec iov[RECV_BATCH];
  static struct mmsghdr msgs[RECV_BATCH];
  for (;;) {
    for (int i = 0; i < RECV_BATCH; i++) {
      iov[i].iov_base = buf[i];
      iov[i].iov_len = RECV_BUF_LEN;
      memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = ctrl[i];
      msgs[i].msg_hdr.msg_controllen = sizeof ctrl[i];
    }
    int n = recvmmsg(s->fd, msgs, RECV_BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) return; /* EAGAIN, or ECONNREFUSED from an ICMP error: the loss timer handles it */
    int64_t fallback_t4 = clock_ns(CLOCK_REALTIME);
    for (int i = 0; i < n; i++) {
      int64_t t4 = fallback_t4;
      for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          struct timespec ts;
          memcpy(&ts, CMSG_DATA(c), sizeof ts);
          t4 = (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
        }
      }
      handle_reply(s, buf[i], msgs[i].msg_len, t4, concurrency);
    }
    if (n < RECV_BATCH) return;
  }
}

static void sweep_lost(int64_t now_mono, int concurrency, int nsock) {
  for (int i = 0; i < concurrency; i++) {
    struct slot *sl = &slots[i];
    if (sl->outstanding && now_mono - sl->sent_mono_ns > LOSS_TIMEOUT_NS) {
      sl->outstanding = 0;
      sl->stale_xmt = sl->xmt;
      st.lost++;
      struct sock *s = &socks[i % nsock];
      s->pending[s->npending++] = i;
    }
  }
}

static double percentile_us(double q) {
  uint64_t total = 0, seen = 0;
  for (int i = 0; i < HIST_BUCKETS; i++) total += hist[i];
  if (total == 0) return 0;
  uint64_t rank = (uint64_t)ceil(q * (double)total);
  if (rank == 0) rank = 1;
  for (int i = 0; i < HIST_BUCKETS; i++) {
    seen += hist[i];
    if (seen >= rank) return (i + 0.5) * HIST_BUCKET_NS / 1000.0;
  }
  return HIST_BUCKETS * HIST_BUCKET_NS / 1000.0;
}

static int open_socket(int family, const struct sockaddr *server, socklen_t server_len) {
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  int on = 1, size = 1 << 20;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  if (connect(fd, server, server_len) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void usage(void) {
  fprintf(stderr,
          "usage: ntpload HOST PORT -c CONCURRENCY -d SECONDS [-6] [-k KEYID:MD5|AES128:HEXKEY]\n"
          "               [-s SOCKETS] [-b SENDBATCH]\n"
          "  CONCURRENCY 1..%d, SECONDS (0, %.0f], SOCKETS 1..%d, SENDBATCH 1..%d (default 4)\n",
          MAX_CONCURRENCY, MAX_DURATION_S, MAX_SOCKETS, MAX_SEND_BATCH);
  exit(2);
}

int main(int argc, char **argv) {
  int concurrency = 1, nsock = 0, send_batch = 4, family = AF_INET, opt;
  double duration = 0;
  while ((opt = getopt(argc, argv, "c:d:6k:s:b:")) != -1) {
    switch (opt) {
    case 'c': concurrency = atoi(optarg); break;
    case 'd': duration = atof(optarg); break;
    case '6': family = AF_INET6; break;
    case 's': nsock = atoi(optarg); break;
    case 'b': send_batch = atoi(optarg); break;
    case 'k':
      if (parse_key(optarg) < 0) {
        fprintf(stderr, "ntpload: bad or unsupported key %s\n", optarg);
        return 2;
      }
      break;
    default: usage();
    }
  }
  if (argc - optind != 2 || concurrency < 1 || concurrency > MAX_CONCURRENCY || !(duration > 0) ||
      duration > MAX_DURATION_S || send_batch < 1 || send_batch > MAX_SEND_BATCH)
    usage();
  if (nsock == 0) nsock = concurrency < 4 ? concurrency : concurrency <= 16 ? 4 : 8;
  if (nsock < 1 || nsock > MAX_SOCKETS) usage();
  if (nsock > concurrency) nsock = concurrency;

  struct sockaddr_storage server;
  socklen_t server_len;
  memset(&server, 0, sizeof server);
  int port = atoi(argv[optind + 1]);
  if (port < 1 || port > 65535) usage();
  if (family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)&server;
    sin->sin_family = AF_INET;
    sin->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, argv[optind], &sin->sin_addr) != 1) usage();
    server_len = sizeof *sin;
  } else {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&server;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, argv[optind], &sin6->sin6_addr) != 1) usage();
    server_len = sizeof *sin6;
  }

  struct pollfd pfds[MAX_SOCKETS];
  for (int i = 0; i < nsock; i++) {
    socks[i].fd = open_socket(family, (struct sockaddr *)&server, server_len);
    if (socks[i].fd < 0) {
      perror("ntpload: socket");
      return 1;
    }
    pfds[i].fd = socks[i].fd;
  }
  for (int i = 0; i < concurrency; i++) {
    struct sock *s = &socks[i % nsock];
    s->pending[s->npending++] = i;
  }

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  alarm((unsigned)duration + 5); /* watchdog: the default SIGALRM action ends the process */

  run_start_xmt = unix_ns_to_ntp(clock_ns(CLOCK_REALTIME)) & ~(uint64_t)(MAX_CONCURRENCY - 1);
  int64_t start = clock_ns(CLOCK_MONOTONIC);
  int64_t end = start + (int64_t)(duration * 1e9);
  int64_t last_sweep = start, now;
  while ((now = clock_ns(CLOCK_MONOTONIC)) < end && !stop_requested) {
    for (int i = 0; i < nsock; i++) {
      flush_pending(&socks[i], send_batch);
      pfds[i].events = POLLIN | (socks[i].npending ? POLLOUT : 0);
    }
    if (poll(pfds, (nfds_t)nsock, 1) > 0) {
      for (int i = 0; i < nsock; i++)
        if (pfds[i].revents & (POLLIN | POLLERR)) receive_all(&socks[i], concurrency);
    }
    if (now - last_sweep >= SWEEP_INTERVAL_NS) {
      /* Drain first, so a generator that was itself descheduled does not blame the server. */
      for (int i = 0; i < nsock; i++) receive_all(&socks[i], concurrency);
      now = clock_ns(CLOCK_MONOTONIC);
      sweep_lost(now, concurrency, nsock);
      last_sweep = now;
    }
  }
  double elapsed = (double)(clock_ns(CLOCK_MONOTONIC) - start) / 1e9;
  double sd = st.received > 1 ? sqrt(st.offset_m2 / (double)(st.received - 1)) : 0;
  printf("rps=%.0f sent=%llu received=%llu invalid=%llu lost=%llu p50_us=%.1f p99_us=%.1f "
         "offset_mean_us=%.3f offset_sd_us=%.3f late=%llu send_errors=%llu\n",
         (double)st.received / elapsed, (unsigned long long)st.sent, (unsigned long long)st.received,
         (unsigned long long)st.invalid, (unsigned long long)st.lost, percentile_us(0.50),
         percentile_us(0.99), st.offset_mean / 1e3, sd / 1e3, (unsigned long long)st.late,
         (unsigned long long)st.send_errors);
  for (int i = 0; i < nsock; i++) close(socks[i].fd);
  return 0;
}
