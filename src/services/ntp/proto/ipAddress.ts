/**
 * IP address literals without `node:net` (proto/ imports nothing from node but `node:crypto`):
 * parsing for the IPv6 reference-id hash, and a canonical form so that a configured
 * `2001:DB8:0:0:8:800:200C:417A` matches the `2001:db8::8:800:200c:417a` a socket reports.
 */

/** An IPv4 literal as a u32, or undefined. */
export function parseIpv4(address: string): number | undefined {
  const parts = address.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** An IPv6 literal (with `::` and an optional trailing dotted quad) as 16 octets, or undefined. */
export function parseIpv6(address: string): Buffer | undefined {
  const text = address.replace(/%.*$/, "");
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0] ?? "");
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? "") : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < groups.length; i++) bytes.writeUInt16BE(groups[i] as number, i * 2);
  return bytes;
}

function groupsOf(text: string): number[] | undefined {
  if (text === "") return [];
  const groups: number[] = [];
  const parts = text.split(":");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i === parts.length - 1 && part.includes(".")) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(v4 >>> 16, v4 & 0xffff);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

/**
 * A canonical key for an address: IPv4 as dotted quad (also when IPv4-mapped in IPv6, as a
 * dual-stack socket reports it), IPv6 as 32 lowercase hex digits, anything else lowercased.
 */
export function canonicalAddress(address: string): string {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return dottedQuadOf(v4);
  const v6 = parseIpv6(address);
  if (v6 === undefined) return address.toLowerCase();
  const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? dottedQuadOf(v6.readUInt32BE(12)) : v6.toString("hex");
}

function dottedQuadOf(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join(".");
}
