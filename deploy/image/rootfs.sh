#!/usr/bin/env bash
# Builds the root filesystem of Bellwether's container image, with no Docker daemon and no base-image registry:
# a jlink'd Java runtime, the shared libraries it links against (taken from this build machine), a non-root user,
# and writable /tmp and state directories. Jib then layers the application on top of it (FROM scratch).
#   usage: rootfs.sh <java.home> <output dir>
set -euo pipefail
JAVA_HOME_IN="$1"
OUT="$2"
JLINK="$JAVA_HOME_IN/bin/jlink"
[ -x "$JLINK" ] || JLINK="$(dirname "$(readlink -f "$(command -v java)")")/jlink"
rm -rf "$OUT"
mkdir -p "$OUT/opt" "$OUT/etc" "$OUT/tmp" "$OUT/var/lib/bellwether" "$OUT/home/bellwether"

# Every module the service, Kafka (SASL, TLS), RocksDB (Unsafe) and the JDK HTTP server need.
"$JLINK" --add-modules java.se,jdk.unsupported,jdk.httpserver,jdk.crypto.ec,jdk.management,jdk.management.agent,jdk.zipfs,jdk.naming.dns,jdk.security.auth,jdk.security.jgss \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/opt/java" >/dev/null 2>&1 \
  || "$JLINK" --add-modules java.se,jdk.unsupported,jdk.httpserver,jdk.crypto.ec,jdk.management,jdk.zipfs \
       --strip-debug --no-header-files --no-man-pages --output "$OUT/opt/java"

# The C libraries the runtime (and RocksDB's JNI library, which needs libstdc++) load, at the paths they expect.
{
  find "$OUT/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 | xargs -0 ldd 2>/dev/null | awk '/=> \//{print $3} /^\s*\/lib/{print $1}'
  ldd "$(command -v java)" | awk '/=> \//{print $3}'
  for lib in libstdc++.so.6 libgcc_s.so.1 libz.so.1 libm.so.6 libc.so.6 libpthread.so.0 libdl.so.2 librt.so.1; do
    for dir in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /lib /usr/lib; do
      if [ -e "$dir/$lib" ]; then echo "$dir/$lib"; break; fi
    done
  done
  for loader in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do if [ -e "$loader" ]; then echo "$loader"; fi; done
} | grep -v "^$OUT" | sort -u | while read -r lib; do
  mkdir -p "$OUT$(dirname "$lib")"
  cp -L "$lib" "$OUT$lib"
done

cat > "$OUT/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
bellwether:x:10001:10001:Bellwether:/home/bellwether:/sbin/nologin
PASSWD
cat > "$OUT/etc/group" <<'GROUP'
root:x:0:
bellwether:x:10001:
GROUP
printf "passwd: files\ngroup: files\nhosts: files dns\n" > "$OUT/etc/nsswitch.conf"
echo "rootfs: $(du -sh "$OUT" | cut -f1) in $OUT"
