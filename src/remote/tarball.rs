//! Small, deterministic layer tarballs. A real registry stores real blobs and checks their sha256, and
//! real clients (skopeo, docker) gunzip and untar them, so every simulated layer travels as a genuine
//! gzipped POSIX tar. Its bytes depend only on the layer (its diff ID and simulated size): the same layer
//! gives the same blob digest on every machine and in every image, which is what lets a registry answer
//! "already exists" for a base layer two images share.
//!
//! The writer is hand-made because it writes one fixed shape (a directory and one small file, owned by
//! root, mtime 0) and a tar header is 512 bytes of fixed fields; gzip comes from `flate2` (miniz_oxide),
//! with mtime 0, no file name and a fixed level, so the bytes are the same on every run.

use flate2::{Compression, GzBuilder};
use std::io::Write;

const BLOCK: usize = 512;

/// One entry of a tar archive.
struct Entry<'a> {
    path: &'a str,
    data: &'a [u8],
    dir: bool,
}

/// Writes `value` as a zero-padded octal field of `width` bytes (the last one NUL), as ustar wants.
fn octal(field: &mut [u8], value: u64) {
    let width = field.len() - 1;
    let text = format!("{value:0width$o}");
    let bytes = text.as_bytes();
    let start = bytes.len().saturating_sub(width);
    field[..width].copy_from_slice(&bytes[start..]);
    field[width] = 0;
}

fn header(entry: &Entry<'_>) -> [u8; BLOCK] {
    let mut h = [0u8; BLOCK];
    let name = entry.path.as_bytes();
    let n = name.len().min(100);
    h[..n].copy_from_slice(&name[..n]);
    octal(&mut h[100..108], if entry.dir { 0o755 } else { 0o644 });
    octal(&mut h[108..116], 0); // uid
    octal(&mut h[116..124], 0); // gid
    octal(
        &mut h[124..136],
        if entry.dir {
            0
        } else {
            entry.data.len() as u64
        },
    );
    octal(&mut h[136..148], 0); // mtime: fixed, so bytes never change
    h[156] = if entry.dir { b'5' } else { b'0' };
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[265..269].copy_from_slice(b"root");
    h[297..301].copy_from_slice(b"root");
    // The checksum is computed with its own field read as eight spaces.
    h[148..156].copy_from_slice(b"        ");
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    let text = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(text.as_bytes());
    h
}

fn tar(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        out.extend_from_slice(&header(e));
        if !e.dir {
            out.extend_from_slice(e.data);
            let pad = (BLOCK - e.data.len() % BLOCK) % BLOCK;
            out.extend(std::iter::repeat_n(0u8, pad));
        }
    }
    // Two zero blocks end the archive.
    out.extend(std::iter::repeat_n(0u8, 2 * BLOCK));
    out
}

/// The uncompressed tar of a layer: a `.dockdrill/` folder holding one file named after the layer's diff
/// ID, whose text says which simulated layer this is.
pub fn layer_tar(diff_id_hex: &str, simulated_size: u64) -> Vec<u8> {
    let path = format!(".dockdrill/layer-{diff_id_hex}");
    let text = format!(
        "dockdrill simulated layer\ndiff_id: sha256:{diff_id_hex}\nsize: {simulated_size}\n"
    );
    tar(&[
        Entry {
            path: ".dockdrill/",
            data: b"",
            dir: true,
        },
        Entry {
            path: &path,
            data: text.as_bytes(),
            dir: false,
        },
    ])
}

/// gzip with fixed header fields (mtime 0, no name, OS byte fixed by flate2) and level 6.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    #[test]
    fn a_layer_tarball_is_a_valid_ustar_archive() {
        let t = layer_tar(&"ab".repeat(32), 1234);
        assert_eq!(t.len() % BLOCK, 0);
        // Header checksum: the sum of the header with the checksum field as spaces.
        let h = &t[BLOCK..2 * BLOCK];
        let mut copy = h.to_vec();
        copy[148..156].copy_from_slice(b"        ");
        let sum: u64 = copy.iter().map(|&b| u64::from(b)).sum();
        let stored = std::str::from_utf8(&h[148..154]).unwrap_or("");
        assert_eq!(u64::from_str_radix(stored, 8).ok(), Some(sum));
        assert_eq!(&h[257..263], b"ustar\0");
        assert_eq!(h[156], b'0');
        assert_eq!(t[156], b'5');
    }

    #[test]
    fn gzip_is_deterministic_and_round_trips() {
        let t = layer_tar(&"cd".repeat(32), 99);
        let a = gzip(&t);
        assert_eq!(a, gzip(&t));
        // mtime (bytes 4..8) is zero, no FNAME flag.
        assert_eq!(&a[4..8], &[0, 0, 0, 0]);
        assert_eq!(a[3] & 0x08, 0);
        let mut back = Vec::new();
        GzDecoder::new(&a[..]).read_to_end(&mut back).ok();
        assert_eq!(back, t);
    }

    #[test]
    fn the_system_tar_reads_the_archive() {
        // `tar` is on every Linux machine; when it is not, say so rather than pass silently.
        let dir = std::env::temp_dir().join(format!("dockdrill-tar-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("layer.tar.gz");
        if std::fs::write(&file, gzip(&layer_tar(&"ef".repeat(32), 7))).is_err() {
            return;
        }
        match std::process::Command::new("tar")
            .arg("-tzf")
            .arg(&file)
            .output()
        {
            Ok(out) => {
                let list = String::from_utf8_lossy(&out.stdout);
                assert!(out.status.success(), "tar failed: {out:?}");
                assert!(list.contains(&format!(".dockdrill/layer-{}", "ef".repeat(32))));
            }
            Err(e) => eprintln!("skipped: no system tar to cross-check the archive ({e})"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
