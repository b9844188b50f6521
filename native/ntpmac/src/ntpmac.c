/*
 * ntpmac: the NTP symmetric-key MACs of src/services/ntp/proto/mac.ts (RFC 5905 §7.3 keyed
 * digests H(secret || packet); RFC 8573 AES-CMAC) computed with the OpenSSL that Node itself
 * carries and exports, through its public EVP interface. Node-API only.
 *
 * Why: on node:crypto a verify + sign costs 2.5 µs (MD5) / 1.6 µs (CMAC) per packet plus GC work
 * for a Hash object per digest; the measured authenticated server ran at half its unauthenticated
 * rate. Here a MAC costs a few hundred ns and allocates nothing in JS.
 *
 * No -lcrypto: the symbols resolve against the running Node (linked with -z now, so a Node
 * without them fails at load, cleanly, rather than at the first call). The header version must
 * match the runtime's major.minor, which init checks; the JS side also self-tests published
 * vectors before using the addon.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <node_api.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/params.h>

/* Bumped whenever the functions change; the JS loader refuses other versions. */
#define NTPMAC_ABI 1

enum { MAX_DIGEST = EVP_MAX_MD_SIZE };

typedef struct {
  EVP_MD_CTX* keyed; /* keyed digests: a context that has absorbed the secret */
  EVP_MD_CTX* work;  /* ... copied into this one per message */
  EVP_MAC_CTX* cmac; /* AES-CMAC: keyed once, re-initialised per message */
  size_t full_length;
} mac_key;

static void free_key(mac_key* key) {
  EVP_MD_CTX_free(key->keyed);
  EVP_MD_CTX_free(key->work);
  EVP_MAC_CTX_free(key->cmac);
  free(key);
}

static void finalize_key(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  free_key((mac_key*)data);
}

static const char* digest_name(const char* algorithm) {
  if (strcmp(algorithm, "md5") == 0) return "MD5";
  if (strcmp(algorithm, "sha1") == 0) return "SHA1";
  if (strcmp(algorithm, "sha256") == 0) return "SHA256";
  return NULL;
}

static const char* cmac_cipher(const char* algorithm, size_t secret_length) {
  if (strcmp(algorithm, "aes-128-cmac") == 0 && secret_length == 16) return "AES-128-CBC";
  if (strcmp(algorithm, "aes-256-cmac") == 0 && secret_length == 32) return "AES-256-CBC";
  return NULL;
}

static int prepare_digest(mac_key* key, const char* name, const uint8_t* secret, size_t secret_length) {
  EVP_MD* md = EVP_MD_fetch(NULL, name, NULL);
  if (md == NULL) return 0;
  key->keyed = EVP_MD_CTX_new();
  key->work = EVP_MD_CTX_new();
  int ok = key->keyed != NULL && key->work != NULL && EVP_DigestInit_ex2(key->keyed, md, NULL) == 1 &&
           EVP_DigestUpdate(key->keyed, secret, secret_length) == 1;
  key->full_length = (size_t)EVP_MD_get_size(md);
  EVP_MD_free(md);
  return ok;
}

static int prepare_cmac(mac_key* key, const char* cipher, const uint8_t* secret, size_t secret_length) {
  EVP_MAC* mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
  if (mac == NULL) return 0;
  key->cmac = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);
  if (key->cmac == NULL) return 0;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, (char*)cipher, 0),
      OSSL_PARAM_construct_end(),
  };
  key->full_length = 16;
  return EVP_MAC_init(key->cmac, secret, secret_length, params) == 1;
}

/* The full MAC of data[0, length) into out; returns its length, 0 on failure. */
static size_t compute(mac_key* key, const uint8_t* data, size_t length, uint8_t out[MAX_DIGEST]) {
  size_t written = 0;
  if (key->cmac != NULL) {
    /* A NULL key re-initialises with the key already set: no new key schedule per message. */
    if (EVP_MAC_init(key->cmac, NULL, 0, NULL) != 1 || EVP_MAC_update(key->cmac, data, length) != 1 ||
        EVP_MAC_final(key->cmac, out, &written, MAX_DIGEST) != 1) {
      return 0;
    }
    return written;
  }
  unsigned int digest_length = 0;
  if (EVP_MD_CTX_copy_ex(key->work, key->keyed) != 1 || EVP_DigestUpdate(key->work, data, length) != 1 ||
      EVP_DigestFinal_ex(key->work, out, &digest_length) != 1) {
    return 0;
  }
  return digest_length;
}

/* ---- JS functions ---- */

static int get_bytes(napi_env env, napi_value value, uint8_t** data, size_t* length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  void* pointer = NULL;
  if (napi_get_typedarray_info(env, value, &type, length, &pointer, &buffer, &offset) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "ntpmac: expected a Uint8Array");
    return 0;
  }
  *data = pointer;
  return 1;
}

static mac_key* key_of(napi_env env, napi_value value) {
  void* data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok || data == NULL) {
    napi_throw_type_error(env, NULL, "ntpmac: not a key");
    return NULL;
  }
  return (mac_key*)data;
}

/* createKey(algorithm, secret) -> key */
static napi_value js_create_key(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  char algorithm[32];
  size_t algorithm_length = 0, secret_length = 0;
  uint8_t* secret = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_string_latin1(env, argv[0], algorithm, sizeof algorithm, &algorithm_length) != napi_ok) {
    napi_throw_type_error(env, NULL, "ntpmac.createKey(algorithm, secret)");
    return NULL;
  }
  if (!get_bytes(env, argv[1], &secret, &secret_length)) return NULL;
  mac_key* key = calloc(1, sizeof *key);
  if (key == NULL) {
    napi_throw_error(env, NULL, "ntpmac: out of memory");
    return NULL;
  }
  const char* name = digest_name(algorithm);
  const char* cipher = cmac_cipher(algorithm, secret_length);
  int ok = name != NULL ? secret_length > 0 && prepare_digest(key, name, secret, secret_length)
           : cipher != NULL ? prepare_cmac(key, cipher, secret, secret_length)
                            : 0;
  if (!ok || napi_create_external(env, key, finalize_key, NULL, &result) != napi_ok) {
    free_key(key);
    napi_throw_range_error(env, NULL, "ntpmac: unsupported algorithm or secret length");
    return NULL;
  }
  return result;
}

/* Reads argument `value` as a length within `limit`. */
static int get_length(napi_env env, napi_value value, size_t limit, size_t* length) {
  uint32_t n;
  if (napi_get_value_uint32(env, value, &n) != napi_ok || n > limit) {
    napi_throw_range_error(env, NULL, "ntpmac: length out of range");
    return 0;
  }
  *length = n;
  return 1;
}

/* write(key, data, dataLength, out, offset, length): the MAC of data[0, dataLength), its first
   `length` octets, into out[offset..]. The ranges may overlap: the digest is computed first. */
static napi_value js_write(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  uint8_t *data, *out, digest[MAX_DIGEST];
  size_t data_size, data_length, out_length, offset, length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6) return NULL;
  mac_key* key = key_of(env, argv[0]);
  if (key == NULL || !get_bytes(env, argv[1], &data, &data_size) || !get_length(env, argv[2], data_size, &data_length) ||
      !get_bytes(env, argv[3], &out, &out_length) || !get_length(env, argv[4], out_length, &offset) ||
      !get_length(env, argv[5], key->full_length, &length)) {
    return NULL;
  }
  if (offset + length > out_length) {
    napi_throw_range_error(env, NULL, "ntpmac.write: digest does not fit");
    return NULL;
  }
  if (compute(key, data, data_length, digest) != key->full_length) {
    napi_throw_error(env, NULL, "ntpmac.write: OpenSSL failed");
    return NULL;
  }
  memcpy(out + offset, digest, length);
  return NULL;
}

/* verify(key, data, dataLength, digest) -> whether digest is the MAC of data[0, dataLength),
   truncated to the digest's length; compared in constant time. */
static napi_value js_verify(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], result;
  uint8_t *data, *expected, digest[MAX_DIGEST];
  size_t data_size, data_length, expected_length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) return NULL;
  mac_key* key = key_of(env, argv[0]);
  if (key == NULL || !get_bytes(env, argv[1], &data, &data_size) || !get_length(env, argv[2], data_size, &data_length) ||
      !get_bytes(env, argv[3], &expected, &expected_length)) {
    return NULL;
  }
  int ok = expected_length > 0 && expected_length <= key->full_length &&
           compute(key, data, data_length, digest) == key->full_length &&
           CRYPTO_memcmp(digest, expected, expected_length) == 0;
  napi_get_boolean(env, ok, &result);
  return result;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value abi, unavailable;
  if (napi_create_uint32(env, NTPMAC_ABI, &abi) != napi_ok || napi_set_named_property(env, exports, "abi", abi) != napi_ok) {
    return NULL;
  }
  /* Built against one OpenSSL, loaded into a Node with another: refuse rather than guess at ABI. */
  unsigned long runtime = OpenSSL_version_num();
  if ((runtime >> 20) != ((unsigned long)OPENSSL_VERSION_NUMBER >> 20)) {
    if (napi_create_string_utf8(env, "OpenSSL version differs from the build headers", NAPI_AUTO_LENGTH,
                                &unavailable) == napi_ok) {
      napi_set_named_property(env, exports, "unavailable", unavailable);
    }
    return exports;
  }
  napi_property_descriptor functions[] = {
      {"createKey", NULL, js_create_key, NULL, NULL, NULL, napi_enumerable, NULL},
      {"write", NULL, js_write, NULL, NULL, NULL, napi_enumerable, NULL},
      {"verify", NULL, js_verify, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions) != napi_ok) return NULL;
  return exports;
}
