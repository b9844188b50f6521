/*
 * udpsock: one UDP socket for the NTP server, with kernel receive timestamps and batched I/O
 * (reference/native-socket.md, "Design"). Plain C on Node-API and libuv only.
 *
 * - Receive: libuv polls the socket; each wake-up runs at most `max_batches` recvmmsg() calls of
 *   up to `batch` datagrams and makes one JS call per batch. SO_TIMESTAMPNS gives each datagram
 *   the kernel's CLOCK_REALTIME arrival time, so queueing in the event loop no longer delays T2.
 * - Send: JS fills the transmit area and calls send(h, n): one sendmmsg() for n datagrams. The
 *   caller stamps T3 and computes any MAC before calling, so it controls the chunk size.
 * - Memory: one allocation shared with JS as an external Buffer. Nothing is allocated or converted
 *   per datagram at the boundary. JS reads it through typed arrays at the offsets open() reports.
 *
 * Layout of the shared memory (all offsets 64-octet aligned; u32 and f64 in host order):
 *   ctl     f64[CTL_FIELDS]               realtime now (s, ns), counters
 *   rxMeta  u32[batch][RX_FIELDS]         len, flags, kernel time s, ns, port, family, text length
 *   txMeta  u32[batch][TX_FIELDS]         data slot, length, address slot
 *   addr    sockaddr[2 * batch]           [0, batch): sources as received; [batch, 2 batch): set_address()
 *   text    char[batch][TEXT_STRIDE]      source address as text (inet_ntop)
 *   rxData  u8[batch][slot]
 *   txData  u8[batch][slot]
 *
 * Lifetime: the socket state is owned jointly by the JS handle (external), the shared Buffer and
 * the libuv handle; it is freed when the last of the three lets go, so a view or handle that
 * outlives close() never points at freed memory. close() is safe from inside the batch callback.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

/* Bumped whenever the layout or the functions change; the JS loader refuses other versions. */
#define UDPSOCK_ABI 1

enum { CTL_NOW_SEC, CTL_NOW_NSEC, CTL_RECEIVED, CTL_SENT, CTL_SEND_ERRORS, CTL_SOCKET_ERRORS, CTL_BATCHES, CTL_FIELDS = 8 };
enum { RX_LEN, RX_FLAGS, RX_SEC, RX_NSEC, RX_PORT, RX_FAMILY, RX_TEXT_LEN, RX_FIELDS = 8 };
enum { TX_DATA_SLOT, TX_LEN, TX_ADDR_SLOT, TX_FIELDS = 4 };
enum { FLAG_TIMESTAMP = 1, FLAG_TRUNCATED = 2 };
enum { ADDR_STRIDE = 32, TEXT_STRIDE = 48, CMSG_STRIDE = 64, ALIGN = 64 };
enum { MAX_BATCH = 1024, MIN_SLOT = 64, MAX_SLOT = 65536, MAX_BATCHES_PER_WAKE = 8 };

typedef struct {
  napi_env env;
  uv_poll_t poll;
  int fd;
  int family;
  uint32_t batch;
  uint32_t slot;
  int closing;      /* close() started: no more callbacks, sends fail */
  int tearing_down; /* the environment is going away: no more Node-API calls */
  int owners;       /* handle external + shared Buffer + libuv handle */
  napi_ref callback;
  napi_ref resource;
  napi_async_context async;
  napi_async_cleanup_hook_handle cleanup;
  uint8_t* memory;
  size_t memory_length;
  size_t off_ctl, off_rx_meta, off_tx_meta, off_addr, off_text, off_rx_data, off_tx_data;
  double* ctl;
  uint32_t* rx_meta;
  uint32_t* tx_meta;
  uint8_t* addr;
  char* text;
  uint8_t* rx_data;
  uint8_t* tx_data;
  struct mmsghdr* rx_msgs;
  struct iovec* rx_iov;
  uint8_t* rx_cmsg;
  struct mmsghdr* tx_msgs;
  struct iovec* tx_iov;
} udp_socket;

/* ---- helpers ---- */

#define CHECK(env, call)                                   \
  do {                                                     \
    if ((call) != napi_ok) {                               \
      napi_throw_error((env), NULL, "udpsock: " #call);    \
      return NULL;                                         \
    }                                                      \
  } while (0)

static size_t align_up(size_t n) { return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1); }

/* Throws an Error whose `code` and message carry the errno name, as Node's own socket errors do. */
static void throw_errno(napi_env env, const char* what, int err) {
  const char* code = err == EADDRINUSE ? "EADDRINUSE"
                     : err == EACCES ? "EACCES"
                     : err == EADDRNOTAVAIL ? "EADDRNOTAVAIL"
                     : err == EAFNOSUPPORT ? "EAFNOSUPPORT"
                     : err == EINVAL ? "EINVAL"
                     : "EUNKNOWN";
  char message[192];
  snprintf(message, sizeof message, "%s %s (%s)", what, code, strerror(err));
  napi_throw_error(env, code, message);
}

static void release(udp_socket* s) {
  if (--s->owners > 0) return;
  free(s->rx_msgs);
  free(s->rx_iov);
  free(s->rx_cmsg);
  free(s->tx_msgs);
  free(s->tx_iov);
  free(s->memory);
  free(s);
}

static void finalize_owner(napi_env env, void* data, void* hint) {
  (void)env;
  (void)data;
  release((udp_socket*)hint);
}

static udp_socket* socket_of(napi_env env, napi_value handle) {
  void* data = NULL;
  if (napi_get_value_external(env, handle, &data) != napi_ok || data == NULL) {
    napi_throw_type_error(env, NULL, "udpsock: not a socket handle");
    return NULL;
  }
  return (udp_socket*)data;
}

/* Parses an IPv4 or IPv6 literal into `out`; an IPv4 literal becomes IPv4-mapped for an IPv6 socket. */
static int make_sockaddr(int family, const char* text, uint32_t port, struct sockaddr_storage* out) {
  memset(out, 0, sizeof *out);
  struct in_addr v4;
  if (inet_pton(AF_INET, text, &v4) == 1) {
    if (family == AF_INET) {
      struct sockaddr_in* sin = (struct sockaddr_in*)out;
      sin->sin_family = AF_INET;
      sin->sin_port = htons((uint16_t)port);
      sin->sin_addr = v4;
      return 1;
    }
    struct sockaddr_in6* sin6 = (struct sockaddr_in6*)out;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons((uint16_t)port);
    sin6->sin6_addr.s6_addr[10] = 0xff;
    sin6->sin6_addr.s6_addr[11] = 0xff;
    memcpy(&sin6->sin6_addr.s6_addr[12], &v4, 4);
    return 1;
  }
  struct sockaddr_in6* sin6 = (struct sockaddr_in6*)out;
  if (family != AF_INET6 || inet_pton(AF_INET6, text, &sin6->sin6_addr) != 1) return 0;
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons((uint16_t)port);
  return 1;
}

static socklen_t sockaddr_length(const uint8_t* addr) {
  sa_family_t family = ((const struct sockaddr*)addr)->sa_family;
  if (family == AF_INET) return sizeof(struct sockaddr_in);
  if (family == AF_INET6) return sizeof(struct sockaddr_in6);
  return 0;
}

/* ---- receive ---- */

static void reset_rx_headers(udp_socket* s) {
  for (uint32_t i = 0; i < s->batch; i++) {
    struct msghdr* h = &s->rx_msgs[i].msg_hdr;
    h->msg_namelen = sizeof(struct sockaddr_in6);
    h->msg_controllen = CMSG_STRIDE;
    h->msg_flags = 0;
  }
}

static void record_datagram(udp_socket* s, uint32_t i) {
  struct msghdr* h = &s->rx_msgs[i].msg_hdr;
  uint32_t* meta = s->rx_meta + (size_t)i * RX_FIELDS;
  uint32_t flags = (h->msg_flags & MSG_TRUNC) ? FLAG_TRUNCATED : 0;
  meta[RX_SEC] = 0;
  meta[RX_NSEC] = 0;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec ts;
      memcpy(&ts, CMSG_DATA(c), sizeof ts);
      /* u32 seconds: good until 2106 (the JS side reads the same width). */
      meta[RX_SEC] = (uint32_t)ts.tv_sec;
      meta[RX_NSEC] = (uint32_t)ts.tv_nsec;
      flags |= FLAG_TIMESTAMP;
    }
  }
  const uint8_t* addr = s->addr + (size_t)i * ADDR_STRIDE;
  char* text = s->text + (size_t)i * TEXT_STRIDE;
  text[0] = '\0';
  uint32_t port = 0, family = 0;
  if (((const struct sockaddr*)addr)->sa_family == AF_INET) {
    const struct sockaddr_in* sin = (const struct sockaddr_in*)addr;
    inet_ntop(AF_INET, &sin->sin_addr, text, TEXT_STRIDE);
    port = ntohs(sin->sin_port);
    family = 4;
  } else if (((const struct sockaddr*)addr)->sa_family == AF_INET6) {
    const struct sockaddr_in6* sin6 = (const struct sockaddr_in6*)addr;
    inet_ntop(AF_INET6, &sin6->sin6_addr, text, TEXT_STRIDE);
    port = ntohs(sin6->sin6_port);
    family = 6;
  }
  meta[RX_LEN] = s->rx_msgs[i].msg_len;
  meta[RX_FLAGS] = flags;
  meta[RX_PORT] = port;
  meta[RX_FAMILY] = family;
  meta[RX_TEXT_LEN] = (uint32_t)strlen(text);
}

/*
 * One JS call for `count` datagrams. napi_make_callback (not napi_call_function) so that
 * process.nextTick and promise jobs run after each batch, as after any libuv callback; an
 * exception thrown by the handler goes to 'uncaughtException' instead of vanishing
 * (native-socket.md pitfall 3).
 */
static void deliver_batch(udp_socket* s, uint32_t count) {
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value callback, resource, argument, result;
  if (napi_get_reference_value(env, s->callback, &callback) == napi_ok &&
      napi_get_reference_value(env, s->resource, &resource) == napi_ok &&
      napi_create_uint32(env, count, &argument) == napi_ok) {
    napi_status status = napi_make_callback(env, s->async, resource, callback, 1, &argument, &result);
    if (status == napi_pending_exception) {
      napi_value exception;
      if (napi_get_and_clear_last_exception(env, &exception) == napi_ok) napi_fatal_exception(env, exception);
    }
  }
  napi_close_handle_scope(env, scope);
}

static void on_readable(uv_poll_t* poll, int status, int events) {
  (void)events;
  udp_socket* s = (udp_socket*)poll->data;
  if (s->closing) return;
  if (status < 0) {
    /* libuv stops a poll handle on POLLERR (native-socket.md pitfall 1): clear the pending
       socket error, count it, and poll again. */
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &error, &length);
    s->ctl[CTL_SOCKET_ERRORS] += 1;
    uv_poll_start(&s->poll, UV_READABLE, on_readable);
  }
  for (int round = 0; round < MAX_BATCHES_PER_WAKE && !s->closing; round++) {
    reset_rx_headers(s);
    int n = recvmmsg(s->fd, s->rx_msgs, s->batch, MSG_DONTWAIT, NULL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (errno != EINTR) s->ctl[CTL_SOCKET_ERRORS] += 1;
      continue;
    }
    if (n == 0) return;
    for (int i = 0; i < n; i++) record_datagram(s, (uint32_t)i);
    s->ctl[CTL_RECEIVED] += n;
    s->ctl[CTL_BATCHES] += 1;
    deliver_batch(s, (uint32_t)n);
    /* A short batch means the queue is empty; epoll is level-triggered, so nothing is lost
       when we stop after MAX_BATCHES_PER_WAKE full ones and let other handles run. */
    if ((uint32_t)n < s->batch) return;
  }
}

/* ---- close ---- */

static void on_closed(uv_handle_t* handle) {
  udp_socket* s = (udp_socket*)handle->data;
  if (!s->tearing_down) {
    napi_handle_scope scope;
    if (napi_open_handle_scope(s->env, &scope) == napi_ok) {
      napi_delete_reference(s->env, s->callback);
      napi_delete_reference(s->env, s->resource);
      napi_async_destroy(s->env, s->async);
      napi_close_handle_scope(s->env, scope);
    }
  }
  if (s->cleanup != NULL) napi_remove_async_cleanup_hook(s->cleanup);
  s->cleanup = NULL;
  release(s);
}

/* Stops polling and closes the descriptor now (the port is free when this returns); the libuv
   handle, references and memory go in on_closed. */
static void begin_close(udp_socket* s) {
  if (s->closing) return;
  s->closing = 1;
  uv_poll_stop(&s->poll);
  uv_close((uv_handle_t*)&s->poll, on_closed);
  close(s->fd);
  s->fd = -1;
}

/* Worker exit or process teardown without close(): release the socket (Node waits for the
   hook to be removed, which on_closed does). */
static void on_environment_cleanup(napi_async_cleanup_hook_handle handle, void* arg) {
  (void)handle;
  udp_socket* s = (udp_socket*)arg;
  s->tearing_down = 1;
  begin_close(s);
}

/* ---- open ---- */

static int open_descriptor(napi_env env, const char* address, uint32_t port, int v6only, int32_t rcvbuf,
                           int32_t sndbuf, int* family_out, uint32_t* port_out) {
  struct sockaddr_storage local;
  int family = strchr(address, ':') != NULL ? AF_INET6 : AF_INET;
  if (!make_sockaddr(family, address, port, &local)) {
    napi_throw_type_error(env, NULL, "udpsock: not an IP address literal");
    return -1;
  }
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw_errno(env, "socket", errno);
    return -1;
  }
  int on = 1;
  int ok = setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0;
  if (ok && family == AF_INET6) ok = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) == 0;
  /* Requests above net.core.{r,w}mem_max are capped by the kernel, as for dgram. */
  if (ok && rcvbuf > 0) ok = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) == 0;
  if (ok && sndbuf > 0) ok = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf) == 0;
  if (!ok) {
    int err = errno;
    close(fd);
    throw_errno(env, "setsockopt", err);
    return -1;
  }
  if (bind(fd, (struct sockaddr*)&local, sockaddr_length((const uint8_t*)&local)) != 0) {
    int err = errno;
    close(fd);
    char what[96];
    snprintf(what, sizeof what, "bind %s port %u", address, port);
    throw_errno(env, what, err);
    return -1;
  }
  struct sockaddr_storage bound;
  socklen_t length = sizeof bound;
  getsockname(fd, (struct sockaddr*)&bound, &length);
  *port_out = ntohs(family == AF_INET ? ((struct sockaddr_in*)&bound)->sin_port
                                      : ((struct sockaddr_in6*)&bound)->sin6_port);
  *family_out = family;
  return fd;
}

static udp_socket* allocate_socket(uint32_t batch, uint32_t slot) {
  udp_socket* s = calloc(1, sizeof *s);
  if (s == NULL) return NULL;
  s->batch = batch;
  s->slot = slot;
  size_t at = 0;
  s->off_ctl = at;
  at = align_up(at + CTL_FIELDS * sizeof(double));
  s->off_rx_meta = at;
  at = align_up(at + (size_t)batch * RX_FIELDS * sizeof(uint32_t));
  s->off_tx_meta = at;
  at = align_up(at + (size_t)batch * TX_FIELDS * sizeof(uint32_t));
  s->off_addr = at;
  at = align_up(at + 2 * (size_t)batch * ADDR_STRIDE);
  s->off_text = at;
  at = align_up(at + (size_t)batch * TEXT_STRIDE);
  s->off_rx_data = at;
  at = align_up(at + (size_t)batch * slot);
  s->off_tx_data = at;
  at = align_up(at + (size_t)batch * slot);
  s->memory_length = at;
  s->memory = calloc(1, at);
  s->rx_msgs = calloc(batch, sizeof *s->rx_msgs);
  s->rx_iov = calloc(batch, sizeof *s->rx_iov);
  s->rx_cmsg = calloc(batch, CMSG_STRIDE);
  s->tx_msgs = calloc(batch, sizeof *s->tx_msgs);
  s->tx_iov = calloc(batch, sizeof *s->tx_iov);
  if (!s->memory || !s->rx_msgs || !s->rx_iov || !s->rx_cmsg || !s->tx_msgs || !s->tx_iov) {
    s->owners = 1;
    release(s);
    return NULL;
  }
  s->ctl = (double*)(s->memory + s->off_ctl);
  s->rx_meta = (uint32_t*)(s->memory + s->off_rx_meta);
  s->tx_meta = (uint32_t*)(s->memory + s->off_tx_meta);
  s->addr = s->memory + s->off_addr;
  s->text = (char*)(s->memory + s->off_text);
  s->rx_data = s->memory + s->off_rx_data;
  s->tx_data = s->memory + s->off_tx_data;
  for (uint32_t i = 0; i < batch; i++) {
    s->rx_iov[i].iov_base = s->rx_data + (size_t)i * slot;
    s->rx_iov[i].iov_len = slot;
    struct msghdr* h = &s->rx_msgs[i].msg_hdr;
    h->msg_name = s->addr + (size_t)i * ADDR_STRIDE;
    h->msg_iov = &s->rx_iov[i];
    h->msg_iovlen = 1;
    h->msg_control = s->rx_cmsg + (size_t)i * CMSG_STRIDE;
  }
  return s;
}

static int set_property(napi_env env, napi_value object, const char* name, double value) {
  napi_value v;
  return napi_create_double(env, value, &v) == napi_ok && napi_set_named_property(env, object, name, v) == napi_ok;
}

/* open(address, port, v6only, batch, slot, rcvbuf, sndbuf, onBatch) -> { handle, memory, port, family, batch, slot, offsets... } */
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 8) {
    napi_throw_type_error(env, NULL, "udpsock.open: 8 arguments expected");
    return NULL;
  }
  char address[64];
  size_t address_length = 0;
  uint32_t port, batch, slot;
  bool v6only;
  int32_t rcvbuf, sndbuf;
  napi_valuetype callback_type;
  CHECK(env, napi_get_value_string_latin1(env, argv[0], address, sizeof address, &address_length));
  CHECK(env, napi_get_value_uint32(env, argv[1], &port));
  CHECK(env, napi_get_value_bool(env, argv[2], &v6only));
  CHECK(env, napi_get_value_uint32(env, argv[3], &batch));
  CHECK(env, napi_get_value_uint32(env, argv[4], &slot));
  CHECK(env, napi_get_value_int32(env, argv[5], &rcvbuf));
  CHECK(env, napi_get_value_int32(env, argv[6], &sndbuf));
  CHECK(env, napi_typeof(env, argv[7], &callback_type));
  if (port > 65535 || batch < 1 || batch > MAX_BATCH || slot < MIN_SLOT || slot > MAX_SLOT ||
      callback_type != napi_function) {
    napi_throw_range_error(env, NULL, "udpsock.open: bad port, batch, slot or callback");
    return NULL;
  }
  uv_loop_t* loop;
  CHECK(env, napi_get_uv_event_loop(env, &loop));

  int family;
  uint32_t bound_port;
  int fd = open_descriptor(env, address, port, v6only ? 1 : 0, rcvbuf, sndbuf, &family, &bound_port);
  if (fd < 0) return NULL;
  udp_socket* s = allocate_socket(batch, slot);
  if (s == NULL || uv_poll_init(loop, &s->poll, fd) != 0) {
    close(fd);
    if (s != NULL) {
      s->owners = 1;
      release(s);
    }
    napi_throw_error(env, NULL, "udpsock.open: out of memory or poll init failed");
    return NULL;
  }
  s->env = env;
  s->fd = fd;
  s->family = family;
  s->poll.data = s;
  /* From here on the libuv handle exists and owns one share; errors below close it. */
  s->owners = 1;

  napi_value handle, memory, resource, resource_name, result;
  int ok = napi_create_external(env, s, finalize_owner, s, &handle) == napi_ok;
  if (ok) s->owners++;
  ok = ok && napi_create_external_buffer(env, s->memory_length, s->memory, finalize_owner, s, &memory) == napi_ok;
  if (ok) s->owners++;
  ok = ok && napi_create_object(env, &resource) == napi_ok &&
       napi_create_string_utf8(env, "MERIDIAN_UDPSOCK", NAPI_AUTO_LENGTH, &resource_name) == napi_ok &&
       napi_create_reference(env, resource, 1, &s->resource) == napi_ok &&
       napi_create_reference(env, argv[7], 1, &s->callback) == napi_ok &&
       napi_async_init(env, resource, resource_name, &s->async) == napi_ok &&
       napi_add_async_cleanup_hook(env, on_environment_cleanup, s, &s->cleanup) == napi_ok &&
       napi_create_object(env, &result) == napi_ok && napi_set_named_property(env, result, "handle", handle) == napi_ok &&
       napi_set_named_property(env, result, "memory", memory) == napi_ok && set_property(env, result, "port", bound_port) &&
       set_property(env, result, "family", family == AF_INET ? 4 : 6) && set_property(env, result, "batch", batch) &&
       set_property(env, result, "slot", slot) && set_property(env, result, "ctl", (double)s->off_ctl) &&
       set_property(env, result, "rxMeta", (double)s->off_rx_meta) &&
       set_property(env, result, "txMeta", (double)s->off_tx_meta) && set_property(env, result, "addr", (double)s->off_addr) &&
       set_property(env, result, "text", (double)s->off_text) && set_property(env, result, "rxData", (double)s->off_rx_data) &&
       set_property(env, result, "txData", (double)s->off_tx_data);
  if (ok) ok = uv_poll_start(&s->poll, UV_READABLE, on_readable) == 0;
  if (!ok) {
    /* Partially built: on_closed deletes what exists (Node-API ignores the NULL ones). */
    begin_close(s);
    napi_throw_error(env, NULL, "udpsock.open: setup failed");
    return NULL;
  }
  return result;
}

/* ---- send, address, clock, close ---- */

/* send(h, count) -> datagrams the kernel accepted. Entries with a bad slot, length or address,
   and datagrams the kernel refuses (EAGAIN, ENOBUFS, EINVAL ...) are counted and skipped. */
static napi_value js_send(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  uint32_t count;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  udp_socket* s = socket_of(env, argv[0]);
  if (s == NULL) return NULL;
  CHECK(env, napi_get_value_uint32(env, argv[1], &count));
  if (count > s->batch) count = s->batch;
  uint32_t valid = 0, sent = 0, failed = 0;
  for (uint32_t i = 0; i < count && !s->closing; i++) {
    const uint32_t* meta = s->tx_meta + (size_t)i * TX_FIELDS;
    uint32_t data_slot = meta[TX_DATA_SLOT], length = meta[TX_LEN], addr_slot = meta[TX_ADDR_SLOT];
    const uint8_t* addr = s->addr + (size_t)addr_slot * ADDR_STRIDE;
    socklen_t addr_length = addr_slot < 2 * s->batch ? sockaddr_length(addr) : 0;
    if (data_slot >= s->batch || length > s->slot || addr_length == 0) {
      failed++;
      continue;
    }
    s->tx_iov[valid].iov_base = s->tx_data + (size_t)data_slot * s->slot;
    s->tx_iov[valid].iov_len = length;
    struct msghdr* h = &s->tx_msgs[valid].msg_hdr;
    h->msg_name = (void*)addr;
    h->msg_namelen = addr_length;
    h->msg_iov = &s->tx_iov[valid];
    h->msg_iovlen = 1;
    h->msg_control = NULL;
    h->msg_controllen = 0;
    h->msg_flags = 0;
    valid++;
  }
  if (s->closing) failed = count;
  uint32_t next = 0;
  while (!s->closing && next < valid) {
    int n = sendmmsg(s->fd, s->tx_msgs + next, valid - next, MSG_DONTWAIT);
    if (n > 0) {
      next += (uint32_t)n;
      sent += (uint32_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      /* sendmmsg reports an error only for the first datagram it tried: drop that one. */
      next++;
      failed++;
    }
  }
  s->ctl[CTL_SENT] += sent;
  s->ctl[CTL_SEND_ERRORS] += failed;
  CHECK(env, napi_create_uint32(env, sent, &result));
  return result;
}

/* setAddress(h, addrSlot, text, port) -> whether `text` is an address this socket can send to.
   Only the transmit half of the address area [batch, 2 batch) is writable. */
static napi_value js_set_address(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], result;
  uint32_t addr_slot, port;
  char text[64];
  size_t text_length = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  udp_socket* s = socket_of(env, argv[0]);
  if (s == NULL) return NULL;
  CHECK(env, napi_get_value_uint32(env, argv[1], &addr_slot));
  CHECK(env, napi_get_value_string_latin1(env, argv[2], text, sizeof text, &text_length));
  CHECK(env, napi_get_value_uint32(env, argv[3], &port));
  int ok = 0;
  if (addr_slot >= s->batch && addr_slot < 2 * s->batch && port <= 65535) {
    uint8_t* addr = s->addr + (size_t)addr_slot * ADDR_STRIDE;
    struct sockaddr_storage parsed;
    ok = make_sockaddr(s->family, text, port, &parsed);
    memset(addr, 0, ADDR_STRIDE);
    if (ok) memcpy(addr, &parsed, sockaddr_length((const uint8_t*)&parsed));
  }
  CHECK(env, napi_get_boolean(env, ok, &result));
  return result;
}

/* now(h): CLOCK_REALTIME into ctl[0..1], the clock of the kernel receive timestamps. */
static napi_value js_now(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  udp_socket* s = socket_of(env, argv[0]);
  if (s == NULL) return NULL;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  s->ctl[CTL_NOW_SEC] = (double)(uint32_t)ts.tv_sec;
  s->ctl[CTL_NOW_NSEC] = (double)ts.tv_nsec;
  return NULL;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  udp_socket* s = socket_of(env, argv[0]);
  if (s == NULL) return NULL;
  begin_close(s);
  return NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor functions[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setAddress", NULL, js_set_address, NULL, NULL, NULL, napi_enumerable, NULL},
      {"now", NULL, js_now, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_value abi;
  if (napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions) != napi_ok ||
      napi_create_uint32(env, UDPSOCK_ABI, &abi) != napi_ok ||
      napi_set_named_property(env, exports, "abi", abi) != napi_ok) {
    return NULL;
  }
  return exports;
}
