//! Who a process runs as. `docker run -u` / `docker exec -u` and an image's `USER` name a user the daemon
//! looks up in the image's `/etc/passwd` (runc's `user.GetExecUser`): a name must be there, a number need
//! not be. dockdrill reads no files, so each base system's stock accounts are listed here, and a name an
//! image's own build added (`adduser`/`useradd` in its history) counts as present.

use crate::model::image::Image;
use crate::model::process::{Base, base};

/// One `/etc/passwd` entry: name, uid, primary gid.
type Account = (&'static str, u32, u32);

/// Stock accounts of busybox (buildroot's skeleton), Alpine and Debian images.
fn accounts(base: Base) -> &'static [Account] {
    match base {
        Base::Busybox => &[
            ("root", 0, 0),
            ("daemon", 1, 1),
            ("bin", 2, 2),
            ("sys", 3, 3),
            ("sync", 4, 100),
            ("mail", 8, 8),
            ("www-data", 33, 33),
            ("operator", 37, 37),
            ("nobody", 65534, 65534),
        ],
        Base::Alpine => &[
            ("root", 0, 0),
            ("bin", 1, 1),
            ("daemon", 2, 2),
            ("lp", 4, 7),
            ("sync", 5, 0),
            ("shutdown", 6, 0),
            ("halt", 7, 0),
            ("mail", 8, 12),
            ("news", 9, 13),
            ("uucp", 10, 14),
            ("cron", 16, 16),
            ("ftp", 21, 21),
            ("sshd", 22, 22),
            ("games", 35, 35),
            ("ntp", 123, 123),
            ("guest", 405, 100),
            ("nobody", 65534, 65534),
        ],
        Base::Debian => &[
            ("root", 0, 0),
            ("daemon", 1, 1),
            ("bin", 2, 2),
            ("sys", 3, 3),
            ("sync", 4, 65534),
            ("games", 5, 60),
            ("man", 6, 12),
            ("lp", 7, 7),
            ("mail", 8, 8),
            ("news", 9, 9),
            ("uucp", 10, 10),
            ("proxy", 13, 13),
            ("www-data", 33, 33),
            ("backup", 34, 34),
            ("list", 38, 38),
            ("irc", 39, 39),
            ("nobody", 65534, 65534),
        ],
    }
}

/// The group names `id` prints for the gids above.
fn group_name(base: Base, gid: u32) -> Option<&'static str> {
    let name = match (base, gid) {
        (_, 0) => "root",
        (Base::Alpine, 1) => "bin",
        (Base::Alpine, 2) => "daemon",
        (Base::Busybox | Base::Debian, 1) => "daemon",
        (Base::Busybox | Base::Debian, 2) => "bin",
        (_, 3) => "sys",
        (_, 7) => "lp",
        (Base::Busybox | Base::Debian, 8) => "mail",
        (Base::Alpine, 12) => "mail",
        (_, 33) => "www-data",
        (Base::Busybox, 37) => "operator",
        (_, 100) => "users",
        (Base::Alpine, 65534) => "nobody",
        (_, 65534) => "nogroup",
        _ => return None,
    };
    Some(name)
}

/// The user a process runs as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// The passwd name, if the uid has an entry.
    pub name: Option<String>,
    pub uid: u32,
    pub gid: u32,
}

/// Why a `-u` / `USER` value names no user (runc's words are in the renderer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownUser {
    /// A name `/etc/passwd` lacks.
    User(String),
    /// A group name `/etc/group` lacks.
    Group(String),
}

/// Did the image's build create account `name` (`adduser … name`, `useradd … name`)?
fn built_account(image: &Image, name: &str) -> bool {
    image.history.iter().any(|h| {
        (h.created_by.contains("adduser") || h.created_by.contains("useradd"))
            && h.created_by
                .split(|c: char| c.is_whitespace() || c == ';' || c == '&')
                .any(|w| w == name)
    })
}

/// Resolves `USER[:GROUP]` (names or numbers) in `image`; an empty spec is root.
pub fn resolve(image: &Image, spec: &str) -> Result<User, UnknownUser> {
    let base = base(image);
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let table = accounts(base);
    let mut found = if user.is_empty() {
        User {
            name: Some("root".into()),
            uid: 0,
            gid: 0,
        }
    } else if let Ok(uid) = user.parse::<u32>() {
        let entry = table.iter().find(|a| a.1 == uid);
        User {
            name: entry.map(|a| a.0.to_string()),
            uid,
            gid: entry.map_or(0, |a| a.2),
        }
    } else if let Some(a) = table.iter().find(|a| a.0 == user) {
        User {
            name: Some(a.0.to_string()),
            uid: a.1,
            gid: a.2,
        }
    } else if built_account(image, user) {
        // An account the image's build made: its numbers are not simulated.
        User {
            name: Some(user.to_string()),
            uid: 1000,
            gid: 1000,
        }
    } else {
        return Err(UnknownUser::User(user.to_string()));
    };
    match group {
        None | Some("") => {}
        Some(g) => match g.parse::<u32>() {
            Ok(gid) => found.gid = gid,
            Err(_) => {
                let gid = (0..=65534u32).find(|gid| group_name(base, *gid) == Some(g));
                match gid {
                    Some(gid) => found.gid = gid,
                    None => return Err(UnknownUser::Group(g.to_string())),
                }
            }
        },
    }
    Ok(found)
}

/// The user's home folder from `/etc/passwd` (what runc puts in `HOME`): root's is `/root`.
pub fn home(image: &Image, user: &User) -> &'static str {
    match (base(image), user.uid) {
        (_, 0) => "/root",
        (Base::Busybox, 65534) => "/home",
        (Base::Debian, 65534) => "/nonexistent",
        _ => "/",
    }
}

/// What `id` prints for `user` (busybox's and coreutils' format; root also lists its stock groups).
pub fn id_line(image: &Image, user: &User) -> String {
    let base = base(image);
    let named = |id: u32, name: Option<&str>| match name {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    };
    let uid = named(user.uid, user.name.as_deref());
    let gid = named(user.gid, group_name(base, user.gid));
    let groups = if user.uid == 0 && user.gid == 0 {
        match base {
            Base::Busybox => "0(root),10(wheel)",
            Base::Alpine => {
                "0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)"
            }
            Base::Debian => "0(root)",
        }
        .to_string()
    } else {
        gid.clone()
    };
    format!("uid={uid} gid={gid} groups={groups}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busybox() -> Image {
        Image::new(
            crate::model::image::ImageConfig::default(),
            vec![],
            vec![],
            0,
            Default::default(),
            std::sync::Arc::new(["sh".to_string(), "id".to_string()].into_iter().collect()),
        )
    }

    #[test]
    fn names_must_be_in_passwd_numbers_need_not() {
        let img = busybox();
        assert_eq!(
            resolve(&img, "nobody"),
            Ok(User {
                name: Some("nobody".into()),
                uid: 65534,
                gid: 65534
            })
        );
        assert_eq!(
            resolve(&img, "1000"),
            Ok(User {
                name: None,
                uid: 1000,
                gid: 0
            })
        );
        assert_eq!(
            resolve(&img, "alice"),
            Err(UnknownUser::User("alice".into()))
        );
        assert_eq!(
            resolve(&img, "nobody:staffx"),
            Err(UnknownUser::Group("staffx".into()))
        );
        assert_eq!(resolve(&img, "0:100").map(|u| u.gid), Ok(100));
    }

    #[test]
    fn id_lines() {
        let img = busybox();
        let root = resolve(&img, "").expect("root");
        assert_eq!(
            id_line(&img, &root),
            "uid=0(root) gid=0(root) groups=0(root),10(wheel)"
        );
        let nobody = resolve(&img, "nobody").expect("nobody");
        assert_eq!(
            id_line(&img, &nobody),
            "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)"
        );
        let n = resolve(&img, "1000").expect("uid");
        assert_eq!(id_line(&img, &n), "uid=1000 gid=0(root) groups=0(root)");
    }
}
