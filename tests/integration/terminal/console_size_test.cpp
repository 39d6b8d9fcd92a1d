// (tests follow)
