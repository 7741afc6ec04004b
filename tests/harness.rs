//! Helpers shared by the integration tests.

use dockdrill::model::world::World;
use dockdrill::runner::{StepResult, run_line};
use dockdrill::script::split_host;

/// A world and a fluent way to run lines on it.
pub struct Sim {
    pub world: World,
}

impl Sim {
    pub fn new() -> Sim {
        Sim {
            world: World::new(),
        }
    }

    /// Runs one script line (`[HOST$ ]docker ...`).
    pub fn run(&mut self, line: &str) -> StepResult {
        run_line(&mut self.world, &split_host(line), None, false)
    }

    /// Runs a line with standard input.
    pub fn run_stdin(&mut self, line: &str, stdin: &str) -> StepResult {
        run_line(
            &mut self.world,
            &split_host(line),
            Some(stdin.to_string()),
            false,
        )
    }

    /// The image `reference` names on `machine` (the test fails if there is none).
    pub fn image(
        &self,
        machine: &str,
        reference: &str,
    ) -> std::sync::Arc<dockdrill::model::image::Image> {
        match self.world.machines[machine].images.lookup(reference) {
            Some(s) => s.image.clone(),
            None => panic!("no image `{reference}` on `{machine}`"),
        }
    }

    /// Runs a line that must succeed, returning its stdout.
    pub fn ok(&mut self, line: &str) -> String {
        let r = self.run(line);
        assert_eq!(r.exit_code, 0, "`{line}` failed:\n{}{}", r.stdout, r.stderr);
        r.stdout
    }
}
