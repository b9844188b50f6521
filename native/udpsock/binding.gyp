{
  "targets": [
    {
      "target_name": "udpsock",
      "sources": ["src/udpsock.c"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
