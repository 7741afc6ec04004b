//! A tar archive (POSIX ustar), written and read in memory: what `docker save` leaves in the working folder
//! and `docker load` reads back. Only regular files and directories, names up to 100 bytes (every name a
//! saved image uses is `blobs/sha256/<64 hex>` or shorter), mtime 0 as moby's exporter sets it.
//!
//! Why a real tar and not a private format: a learner who copies the file around, or an instructor who reads
//! it, sees the layout `docker save` really produces (`manifest.json`, `index.json`, `oci-layout`,
//! `repositories`, `blobs/sha256/…`), and a truncated or foreign file fails to load the way a broken archive
//! does.

/// One archive member: a directory (name ends with `/`) or a regular file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
}

/// Why bytes are not a readable archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TarError {
    /// The archive ends inside a header or a member (Go's `unexpected EOF`).
    UnexpectedEof,
    /// A header whose checksum or size field is wrong (Go's `archive/tar: invalid tar header`).
    InvalidHeader,
}

const BLOCK: usize = 512;

/// Writes `entries` as a ustar archive ending with two zero blocks.
pub fn write(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let dir = e.name.ends_with('/');
        let mut h = [0u8; BLOCK];
        put(&mut h[0..100], e.name.as_bytes());
        // Go's `tar.FileInfoHeader` keeps the file-type bits in the mode (`c_ISDIR`, `c_ISREG`), as the
        // daemon's archives show (`docker cp c:/f -`: `0100644`; oracle).
        put(&mut h[100..108], if dir { b"0040755" } else { b"0100644" });
        put(&mut h[108..116], b"0000000");
        put(&mut h[116..124], b"0000000");
        put(
            &mut h[124..136],
            format!("{:011o}", e.data.len()).as_bytes(),
        );
        put(&mut h[136..148], b"00000000000");
        h[148..156].copy_from_slice(b"        ");
        h[156] = if dir { b'5' } else { b'0' };
        put(&mut h[257..263], b"ustar\0");
        put(&mut h[263..265], b"00");
        let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
        put(&mut h[148..156], format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(&e.data);
        let pad = (BLOCK - e.data.len() % BLOCK) % BLOCK;
        out.resize(out.len() + pad, 0);
    }
    out.resize(out.len() + 2 * BLOCK, 0);
    out
}

fn put(field: &mut [u8], value: &[u8]) {
    let n = value.len().min(field.len());
    field[..n].copy_from_slice(&value[..n]);
}

/// Reads an archive written by [`write`] (or any ustar archive of plain files and directories).
pub fn read(bytes: &[u8]) -> Result<Vec<Entry>, TarError> {
    let mut entries = Vec::new();
    let mut at = 0;
    loop {
        let Some(h) = bytes.get(at..at + BLOCK) else {
            return Err(TarError::UnexpectedEof);
        };
        if h.iter().all(|b| *b == 0) {
            return Ok(entries);
        }
        let stored = octal(&h[148..156]).ok_or(TarError::InvalidHeader)?;
        let mut sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
        sum = sum - h[148..156].iter().map(|b| u32::from(*b)).sum::<u32>() + 8 * u32::from(b' ');
        if u64::from(sum) != stored {
            return Err(TarError::InvalidHeader);
        }
        let size = usize::try_from(octal(&h[124..136]).ok_or(TarError::InvalidHeader)?)
            .map_err(|_| TarError::InvalidHeader)?;
        let name_len = h[..100].iter().position(|b| *b == 0).unwrap_or(100);
        let name = String::from_utf8_lossy(&h[..name_len]).into_owned();
        let start = at + BLOCK;
        let end = start.checked_add(size).ok_or(TarError::InvalidHeader)?;
        let data = bytes
            .get(start..end)
            .ok_or(TarError::UnexpectedEof)?
            .to_vec();
        entries.push(Entry { name, data });
        at = end + (BLOCK - size % BLOCK) % BLOCK;
    }
}

fn octal(field: &[u8]) -> Option<u64> {
    let s: String = field
        .iter()
        .take_while(|b| **b != 0 && **b != b' ')
        .map(|b| char::from(*b))
        .collect();
    let s = s.trim();
    if s.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(s, 8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(name: &str, data: &str) -> Entry {
        Entry {
            name: name.into(),
            data: data.as_bytes().to_vec(),
        }
    }

    #[test]
    fn an_archive_reads_back_as_written() {
        let entries = vec![
            e("blobs/", ""),
            e("blobs/sha256/", ""),
            e("manifest.json", "[{}]\n"),
        ];
        let bytes = write(&entries);
        assert_eq!(bytes.len() % BLOCK, 0);
        assert_eq!(read(&bytes), Ok(entries));
    }

    #[test]
    fn modes_carry_the_file_type_bits() {
        let bytes = write(&[e("d/", ""), e("d/f", "x")]);
        assert_eq!(&bytes[100..107], b"0040755");
        assert_eq!(&bytes[BLOCK + 100..BLOCK + 107], b"0100644");
    }

    #[test]
    fn a_truncated_archive_is_an_unexpected_eof() {
        let bytes = write(&[e("manifest.json", "[{}]\n")]);
        assert_eq!(read(&bytes[..600]), Err(TarError::UnexpectedEof));
        assert_eq!(read(b"hi\n"), Err(TarError::UnexpectedEof));
    }

    #[test]
    fn text_is_not_an_archive() {
        let text = "x".repeat(1024);
        assert_eq!(read(text.as_bytes()), Err(TarError::InvalidHeader));
    }
}
