mod repl;
mod smoke {
    #[test]
    fn builds() {}
}
