// Reads a zip (a VSIX) whole into memory with yauzl, and tells native binaries apart by their
// headers: the packaging tests check which platform each shipped binary is for.
import yauzl from 'yauzl';

/** Every file entry of the zip: name → contents. */
export function zipEntries(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const entries = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** 'elf-x64', 'macho-arm64', 'pe-x64', …: the object format and CPU of a shared library, from its header. */
export function nativeBinaryKind(bytes: Buffer): string {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
    const machine = bytes.readUInt16LE(18); // e_machine (little-endian ELF)
    return `elf-${({ 0x3e: 'x64', 0xb7: 'arm64' } as Record<number, string>)[machine] ?? machine.toString(16)}`;
  }
  if (bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4); // 64-bit Mach-O cputype
    return `macho-${({ 0x01000007: 'x64', 0x0100000c: 'arm64' } as Record<number, string>)[cpu] ?? cpu.toString(16)}`;
  }
  if (bytes.readUInt16LE(0) === 0x5a4d) {
    const pe = bytes.readUInt32LE(0x3c); // offset of the PE header
    const machine = bytes.readUInt16LE(pe + 4);
    return `pe-${({ 0x8664: 'x64', 0xaa64: 'arm64' } as Record<number, string>)[machine] ?? machine.toString(16)}`;
  }
  return 'unknown';
}
