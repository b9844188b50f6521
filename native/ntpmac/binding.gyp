{
  "targets": [
    {
      "target_name": "ntpmac",
      "sources": ["src/ntpmac.c"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "ldflags": ["-Wl,-z,now"]
    }
  ]
}
