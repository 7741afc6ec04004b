//! Automatic container names, as moby's name generator makes them.
//!
//! The word lists are moby/moby `pkg/namesgenerator/names-generator.go` at
//! v28.2.2 (108 adjectives, 236 surnames), in the same order. Moby picks
//! words with `math/rand`; here the choice is a deterministic function of a
//! seed, so simulations are reproducible.

/// Adjectives (moby's `left` list).
pub const LEFT: [&str; 108] = [
    "admiring",
    "adoring",
    "affectionate",
    "agitated",
    "amazing",
    "angry",
    "awesome",
    "beautiful",
    "blissful",
    "bold",
    "boring",
    "brave",
    "busy",
    "charming",
    "clever",
    "compassionate",
    "competent",
    "condescending",
    "confident",
    "cool",
    "cranky",
    "crazy",
    "dazzling",
    "determined",
    "distracted",
    "dreamy",
    "eager",
    "ecstatic",
    "elastic",
    "elated",
    "elegant",
    "eloquent",
    "epic",
    "exciting",
    "fervent",
    "festive",
    "flamboyant",
    "focused",
    "friendly",
    "frosty",
    "funny",
    "gallant",
    "gifted",
    "goofy",
    "gracious",
    "great",
    "happy",
    "hardcore",
    "heuristic",
    "hopeful",
    "hungry",
    "infallible",
    "inspiring",
    "intelligent",
    "interesting",
    "jolly",
    "jovial",
    "keen",
    "kind",
    "laughing",
    "loving",
    "lucid",
    "magical",
    "modest",
    "musing",
    "mystifying",
    "naughty",
    "nervous",
    "nice",
    "nifty",
    "nostalgic",
    "objective",
    "optimistic",
    "peaceful",
    "pedantic",
    "pensive",
    "practical",
    "priceless",
    "quirky",
    "quizzical",
    "recursing",
    "relaxed",
    "reverent",
    "romantic",
    "sad",
    "serene",
    "sharp",
    "silly",
    "sleepy",
    "stoic",
    "strange",
    "stupefied",
    "suspicious",
    "sweet",
    "tender",
    "thirsty",
    "trusting",
    "unruffled",
    "upbeat",
    "vibrant",
    "vigilant",
    "vigorous",
    "wizardly",
    "wonderful",
    "xenodochial",
    "youthful",
    "zealous",
    "zen",
];

/// Notable scientists and hackers (moby's `right` list).
pub const RIGHT: [&str; 236] = [
    "agnesi",
    "albattani",
    "allen",
    "almeida",
    "antonelli",
    "archimedes",
    "ardinghelli",
    "aryabhata",
    "austin",
    "babbage",
    "banach",
    "banzai",
    "bardeen",
    "bartik",
    "bassi",
    "beaver",
    "bell",
    "benz",
    "bhabha",
    "bhaskara",
    "black",
    "blackburn",
    "blackwell",
    "bohr",
    "booth",
    "borg",
    "bose",
    "bouman",
    "boyd",
    "brahmagupta",
    "brattain",
    "brown",
    "buck",
    "burnell",
    "cannon",
    "carson",
    "cartwright",
    "carver",
    "cerf",
    "chandrasekhar",
    "chaplygin",
    "chatelet",
    "chatterjee",
    "chaum",
    "chebyshev",
    "clarke",
    "cohen",
    "colden",
    "cori",
    "cray",
    "curie",
    "curran",
    "darwin",
    "davinci",
    "dewdney",
    "dhawan",
    "diffie",
    "dijkstra",
    "dirac",
    "driscoll",
    "dubinsky",
    "easley",
    "edison",
    "einstein",
    "elbakyan",
    "elgamal",
    "elion",
    "ellis",
    "engelbart",
    "euclid",
    "euler",
    "faraday",
    "feistel",
    "fermat",
    "fermi",
    "feynman",
    "franklin",
    "gagarin",
    "galileo",
    "galois",
    "ganguly",
    "gates",
    "gauss",
    "germain",
    "goldberg",
    "goldstine",
    "goldwasser",
    "golick",
    "goodall",
    "gould",
    "greider",
    "grothendieck",
    "haibt",
    "hamilton",
    "haslett",
    "hawking",
    "heisenberg",
    "hellman",
    "hermann",
    "herschel",
    "hertz",
    "heyrovsky",
    "hodgkin",
    "hofstadter",
    "hoover",
    "hopper",
    "hugle",
    "hypatia",
    "ishizaka",
    "jackson",
    "jang",
    "jemison",
    "jennings",
    "jepsen",
    "johnson",
    "joliot",
    "jones",
    "kalam",
    "kapitsa",
    "kare",
    "keldysh",
    "keller",
    "kepler",
    "khayyam",
    "khorana",
    "kilby",
    "kirch",
    "knuth",
    "kowalevski",
    "lalande",
    "lamarr",
    "lamport",
    "leakey",
    "leavitt",
    "lederberg",
    "lehmann",
    "lewin",
    "lichterman",
    "liskov",
    "lovelace",
    "lumiere",
    "mahavira",
    "margulis",
    "matsumoto",
    "maxwell",
    "mayer",
    "mccarthy",
    "mcclintock",
    "mclaren",
    "mclean",
    "mcnulty",
    "meitner",
    "mendel",
    "mendeleev",
    "meninsky",
    "merkle",
    "mestorf",
    "mirzakhani",
    "montalcini",
    "moore",
    "morse",
    "moser",
    "murdock",
    "napier",
    "nash",
    "neumann",
    "newton",
    "nightingale",
    "nobel",
    "noether",
    "northcutt",
    "noyce",
    "panini",
    "pare",
    "pascal",
    "pasteur",
    "payne",
    "perlman",
    "pike",
    "poincare",
    "poitras",
    "proskuriakova",
    "ptolemy",
    "raman",
    "ramanujan",
    "rhodes",
    "ride",
    "ritchie",
    "robinson",
    "roentgen",
    "rosalind",
    "rubin",
    "saha",
    "sammet",
    "sanderson",
    "satoshi",
    "shamir",
    "shannon",
    "shaw",
    "shirley",
    "shockley",
    "shtern",
    "sinoussi",
    "snyder",
    "solomon",
    "spence",
    "stonebraker",
    "sutherland",
    "swanson",
    "swartz",
    "swirles",
    "taussig",
    "tesla",
    "tharp",
    "thompson",
    "torvalds",
    "tu",
    "turing",
    "varahamihira",
    "vaughan",
    "villani",
    "visvesvaraya",
    "volhard",
    "wescoff",
    "wilbur",
    "wiles",
    "williams",
    "williamson",
    "wilson",
    "wing",
    "wozniak",
    "wright",
    "wu",
    "yalow",
    "yonath",
    "zhukovsky",
];

/// splitmix64 step: a well-mixed 64-bit value from a 64-bit state.
fn splitmix64(state: u64) -> u64 {
    let mut z = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick(list: &[&'static str], value: u64) -> &'static str {
    let len = list.len() as u64;
    if len == 0 {
        return "";
    }
    let idx = usize::try_from(value % len).unwrap_or(0);
    list.get(idx).copied().unwrap_or("")
}

/// A name like moby's `GetRandomName(retry)`: `adjective_surname`, never
/// `boring_wozniak`; when `retry > 0` a digit 0-9 is appended
/// (`happy_turing3`), as the daemon does when the first name was taken.
///
/// Deterministic: the same `(seed, retry)` always gives the same name, and
/// different retries of one seed give different draws.
pub fn generate(seed: u64, retry: u32) -> String {
    let mut state = seed ^ u64::from(retry).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    loop {
        state = splitmix64(state);
        let adjective = pick(&LEFT, state);
        state = splitmix64(state);
        let surname = pick(&RIGHT, state);
        if adjective == "boring" && surname == "wozniak" {
            // Steve Wozniak is not boring: draw again, as moby does.
            continue;
        }
        let mut name = format!("{adjective}_{surname}");
        if retry > 0 {
            state = splitmix64(state);
            name.push(char::from(b'0' + (state % 10) as u8));
        }
        return name;
    }
}

/// Whether `name` could have come from the generator (ignoring a trailing
/// retry digit).
pub fn is_generated(name: &str) -> bool {
    let base = name
        .strip_suffix(|c: char| c.is_ascii_digit())
        .unwrap_or(name);
    match base.split_once('_') {
        Some((l, r)) => LEFT.contains(&l) && RIGHT.contains(&r) && base != "boring_wozniak",
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_match_moby() {
        assert_eq!(LEFT.len(), 108);
        assert_eq!(RIGHT.len(), 236);
        assert_eq!(LEFT.first(), Some(&"admiring"));
        assert_eq!(LEFT.last(), Some(&"zen"));
        assert_eq!(RIGHT.first(), Some(&"agnesi"));
        assert_eq!(RIGHT.last(), Some(&"zhukovsky"));
        // Names seen in the recorded transcripts.
        for n in [
            "adoring_haibt",
            "upbeat_driscoll",
            "hardcore_agnesi",
            "jolly_mirzakhani",
            "mystifying_kapitsa",
            "reverent_bhaskara",
        ] {
            assert!(is_generated(n), "{n}");
        }
        let mut sorted = LEFT.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, LEFT.to_vec());
        let mut sorted = RIGHT.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, RIGHT.to_vec());
    }

    #[test]
    fn deterministic_and_well_formed() {
        for seed in 0..2000u64 {
            let a = generate(seed, 0);
            assert_eq!(a, generate(seed, 0));
            assert!(is_generated(&a), "{a}");
            assert_ne!(a, "boring_wozniak");
            assert!(!a.ends_with(|c: char| c.is_ascii_digit()));
            let b = generate(seed, 1);
            assert!(b.ends_with(|c: char| c.is_ascii_digit()), "{b}");
            assert!(is_generated(&b));
        }
        assert_ne!(generate(1, 0), generate(2, 0));
        assert!(generate(u64::MAX, u32::MAX).len() > 3);
    }

    #[test]
    fn spread() {
        let distinct: std::collections::HashSet<String> =
            (0..500u64).map(|s| generate(s, 0)).collect();
        assert!(distinct.len() > 480);
    }
}
