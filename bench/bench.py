#!/usr/bin/env python3
"""Side-by-side benchmarks of keel, runc and crun.

Every benchmark runs the runtimes interleaved (A B C A B C ...) for several rounds after a
warm-up, in the same process and the same cgroup view, and reports per runtime: median and
min-max of wall time and cpu time (user+sys, from wait4), peak RSS (ru_maxrss of the waited
process tree), and the ratios keel/crun and keel/runc computed from the medians of this run.
Usage (as root, inside bench/v1-cgroups-ns.sh; bench/run.sh does all of it):
  bench.py --keel PATH [--rounds N] [--run-rounds N] [--only NAME,...] [--out DIR]
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

CGROUP_PARENT = "keel-bench"
# crun has no `events` command: those rows compare keel with runc only.
NO_CRUN = {"events"}


MEASURE = os.environ.get("KEEL_BENCH_MEASURE", "measure")


def spawn(argv):
    """Runs argv under the C `measure` parent: (exit code, wall s, cpu s, peak RSS KiB)."""
    r = subprocess.run([MEASURE, *argv], capture_output=True, text=True)
    code, wall, cpu, rss = r.stdout.split()
    return int(code), float(wall), float(cpu), int(rss)


class Runtime:
    def __init__(self, name, binary, workdir):
        self.name, self.binary = name, binary
        self.root = os.path.join(workdir, "state-" + name)
        os.makedirs(self.root, exist_ok=True)

    def cmd(self, *args):
        return [self.binary, "--root", self.root, *args]

    def quiet(self, *args):
        return subprocess.run(self.cmd(*args), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode

    def state(self, cid):
        r = subprocess.run(self.cmd("state", cid), capture_output=True, text=True)
        return json.loads(r.stdout) if r.returncode == 0 else None


class Bundles:
    """One small bundle dir per container id; all share one busybox-static rootfs."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.rootfs = os.path.join(workdir, "rootfs")
        os.makedirs(os.path.join(self.rootfs, "bin"))
        shutil.copy("/bin/busybox", os.path.join(self.rootfs, "bin", "busybox"))
        for c in ["sh", "true", "sleep", "cat"]:
            os.symlink("busybox", os.path.join(self.rootfs, "bin", c))
        spec_dir = os.path.join(workdir, "template")
        os.makedirs(spec_dir)
        subprocess.run(["runc", "spec"], cwd=spec_dir, check=True)
        with open(os.path.join(spec_dir, "config.json")) as f:
            self.template = json.load(f)
        self.template["process"]["terminal"] = False
        self.template["root"]["path"] = self.rootfs
        self.seq = 0

    def make(self, args, seccomp=None):
        self.seq += 1
        cid = "b%d-%d" % (os.getpid(), self.seq)
        d = os.path.join(self.workdir, "bundles", cid)
        os.makedirs(d)
        cfg = json.loads(json.dumps(self.template))
        cfg["process"]["args"] = args
        cfg["linux"]["cgroupsPath"] = "/%s/%s" % (CGROUP_PARENT, cid)
        if seccomp:
            cfg["linux"]["seccomp"] = seccomp
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(cfg, f)
        return cid, d


def wait_stopped(rt, cid, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        s = rt.state(cid)
        if s is None or s.get("status") == "stopped":
            return
        time.sleep(0.005)


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def bench_defs(b, docker_seccomp):
    """Each benchmark: setup(rt) -> ctx, measure(rt, ctx) -> sample, teardown(rt, ctx)."""
    defs = {}

    def simple(name, argv_fn):
        defs[name] = (lambda rt: None, lambda rt, ctx: spawn(argv_fn(rt)), lambda rt, ctx: None)

    simple("version", lambda rt: [rt.binary, "--version"])

    # The floor takes part in the `run` rounds as a fourth contestant, so its ratio to `run` is
    # computed pair by pair in one run, under the same conditions.
    def run_true(rt, ctx):
        if rt.name == "floor":
            return {"floor": spawn(["unshare", "--mount", "--uts", "--ipc", "--pid", "--net",
                                    "--fork", "chroot", b.rootfs, "/bin/true"])}
        cid, d = b.make(["/bin/true"])
        return {"run": spawn(rt.cmd("run", "--bundle", d, cid))}
    defs["run"] = (lambda rt: None, run_true, lambda rt, ctx: None)

    def run_many(n, par):
        def measure(rt, ctx):
            items = [b.make(["/bin/true"]) for _ in range(n)]
            script = "\n".join("%s run --bundle %s %s" % (" ".join(rt.cmd()), d, cid)
                               for cid, d in items)
            path = os.path.join(b.workdir, "many-%s.txt" % rt.name)
            with open(path, "w") as f:
                f.write(script + "\n")
            return spawn(["sh", "-c", "xargs -P %d -I{} sh -c '{}' < %s" % (par, path)])
        return measure
    defs["run x100 sequential"] = (lambda rt: None, run_many(100, 1), lambda rt, ctx: None)
    defs["run x100 2-way"] = (lambda rt: None, run_many(100, 2), lambda rt, ctx: None)
    defs["run x100 4-way"] = (lambda rt: None, run_many(100, 4), lambda rt, ctx: None)

    # create, start and delete measured separately on the same container: one measure call
    # returns a sample per phase.
    def lifecycle(rt, ctx):
        cid, d = b.make(["/bin/true"])
        created = spawn(rt.cmd("create", "--bundle", d, cid))
        started = spawn(rt.cmd("start", cid))
        wait_stopped(rt, cid)
        deleted = spawn(rt.cmd("delete", cid))
        return {"create": created, "start": started, "delete": deleted}
    defs["create/start/delete"] = (lambda rt: None, lifecycle, lambda rt, ctx: None)

    def seccomp_create(rt, ctx):
        cid, d = b.make(["/bin/true"], seccomp=docker_seccomp)
        r = spawn(rt.cmd("create", "--bundle", d, cid))
        rt.quiet("delete", "--force", cid)
        return r
    if docker_seccomp:
        defs["create +docker seccomp"] = (lambda rt: None, seccomp_create, lambda rt, ctx: None)

    def running(rt):
        cid, d = b.make(["/bin/sleep", "1000"])
        rt.quiet("run", "--detach", "--bundle", d, cid)
        return cid

    def stop(rt, cid):
        rt.quiet("delete", "--force", cid)
    defs["exec"] = (running, lambda rt, cid: spawn(rt.cmd("exec", cid, "/bin/true")), stop)
    defs["state"] = (running, lambda rt, cid: spawn(rt.cmd("state", cid)), stop)

    # Commands on a running container. update alternates two memory limits so every call is a
    # change; pause and resume are measured separately on the same container.
    def update_memory(rt, cid):
        update_memory.n += 1
        limit = str((64 if update_memory.n % 2 else 96) << 20)  # crun takes bytes only
        return spawn(rt.cmd("update", "--memory", limit, cid))
    update_memory.n = 0
    defs["update"] = (running, update_memory, stop)

    def pause_resume(rt, cid):
        return {"pause": spawn(rt.cmd("pause", cid)), "resume": spawn(rt.cmd("resume", cid))}
    defs["pause"] = (running, pause_resume, stop)
    defs["events"] = (running, lambda rt, cid: spawn(rt.cmd("events", "--stats", cid)), stop)

    def many_created(n):
        def setup(rt):
            ids = []
            for _ in range(n):
                cid, d = b.make(["/bin/true"])
                if rt.quiet("create", "--bundle", d, cid) == 0:
                    ids.append(cid)
            return ids

        def teardown(rt, ids):
            for cid in ids:
                rt.quiet("delete", "--force", cid)
        return setup, teardown
    for n in (1, 100):
        s, t = many_created(n)
        defs["list (%d)" % n] = (s, lambda rt, ids: spawn(rt.cmd("list")), t)

    def created_rss(rt, ctx):
        cid, d = b.make(["/bin/true"])
        pidfile = os.path.join(b.workdir, "pid-" + cid)
        code = rt.quiet("create", "--bundle", d, "--pid-file", pidfile, cid)
        rss = 0
        if code == 0:
            with open(pidfile) as f:
                rss = rss_kib(int(f.read().strip()))
        rt.quiet("delete", "--force", cid)
        return code, 0.0, 0.0, rss
    defs["created init RSS"] = (lambda rt: None, created_rss, lambda rt, ctx: None)
    return defs


def summarise(samples):
    ok = [s for s in samples if s[0] == 0]
    if not ok:
        return None
    wall = [s[1] * 1000 for s in ok]
    cpu = [s[2] * 1000 for s in ok]
    rss = [s[3] / 1024 for s in ok]
    return {"n": len(ok), "failed": len(samples) - len(ok),
            "wall_ms": [statistics.median(wall), min(wall), max(wall)],
            "cpu_ms": [statistics.median(cpu), min(cpu), max(cpu)],
            "rss_mib": [statistics.median(rss), min(rss), max(rss)]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keel", required=True)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--heavy-rounds", type=int, default=2)
    ap.add_argument("--run-rounds", type=int, default=30,
                    help="rounds of the headline `run` row (with the floor), cheap and noisy")
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--docker-seccomp", default="")
    ap.add_argument("--state-on-disk", action="store_true",
                    help="keep the runtimes' --root dirs on the temp dir's disk, not a tmpfs")
    a = ap.parse_args()

    workdir = tempfile.mkdtemp(prefix="keel-bench.")
    # The runtimes' state roots live on a tmpfs, as /run is on real hosts (on this VM /run is
    # the ext4 root disk, where every rename of a state file costs an extra block-allocation
    # flush). Same tmpfs for all three; mounted in v1-cgroups-ns.sh's private mount namespace,
    # so it disappears with the run. --state-on-disk keeps the roots in the temp dir instead.
    state_dir = os.path.join(workdir, "state")
    os.makedirs(state_dir)
    if not a.state_on_disk:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0700,size=64m", "tmpfs", state_dir],
                       check=True)
    runtimes = [Runtime("keel", a.keel, state_dir), Runtime("crun", "crun", state_dir),
                Runtime("runc", "runc", state_dir)]
    floor = Runtime("floor", "unshare", state_dir)  # no runtime: see bench_defs
    b = Bundles(workdir)
    seccomp = None
    if a.docker_seccomp:
        with open(a.docker_seccomp) as f:
            seccomp = json.load(f)["linux"]["seccomp"]
    defs = bench_defs(b, seccomp)
    only = [x for x in a.only.split(",") if x]
    results = {}
    try:
        for name, (setup, measure, teardown) in defs.items():
            if only and name not in only:
                continue
            heavy = "x100" in name or name.startswith("list (100")
            rounds = a.heavy_rounds if heavy else a.run_rounds if name == "run" else a.rounds
            targets = runtimes + [floor] if name == "run" else runtimes
            if name in NO_CRUN:
                targets = [rt for rt in targets if rt.name != "crun"]
            ctx = {rt.name: setup(rt) for rt in targets}
            samples = {}  # benchmark row -> runtime -> samples
            for r in range(rounds + 1):  # round 0 is the warm-up
                # The order rotates every round (A B C, B C A, C A B ...): what one command
                # leaves for the kernel to finish later (RCU callbacks, cgroup offlining) is
                # charged to whichever runs next, so nobody always follows the same peer.
                for rt in targets[r % len(targets):] + targets[:r % len(targets)]:
                    s = measure(rt, ctx[rt.name])
                    if r == 0:
                        continue
                    for row, sample in (s.items() if isinstance(s, dict) else [(name, s)]):
                        samples.setdefault(row, {}).setdefault(rt.name, []).append(sample)
            for rt in targets:
                teardown(rt, ctx[rt.name])
            for row, per_rt in samples.items():
                results[row] = {k: summarise(v) for k, v in per_rt.items()}
                print_row(row, results[row])
            if name == "run" and results.get("floor", {}).get("floor") and \
                    results.get("run", {}).get("keel"):
                print("ratio keel run / floor: cpu %s" % ratio(
                    results["run"]["keel"]["cpu_ms"][0], results["floor"]["floor"]["cpu_ms"][0]))
    finally:
        for rt in runtimes:
            for cid in os.listdir(rt.root) if os.path.isdir(rt.root) else []:
                rt.quiet("delete", "--force", cid)
        if not a.state_on_disk:
            subprocess.run(["umount", state_dir])
        shutil.rmtree(workdir, ignore_errors=True)
        subprocess.run("rmdir /sys/fs/cgroup/*/%s/* /sys/fs/cgroup/*/%s 2>/dev/null" %
                       (CGROUP_PARENT, CGROUP_PARENT), shell=True)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print("\nresults: %s" % os.path.join(a.out, "results.json"))


def ratio(x, y):
    return "%.2f" % (x / y) if x and y else "-"


def print_row(name, res):
    k, c, r = res.get("keel"), res.get("crun"), res.get("runc")
    print("\n== %s" % name)
    print("%-6s %24s %24s %20s" % ("", "wall ms med [min-max]", "cpu ms med [min-max]", "peak RSS MiB"))
    for rt, s in res.items():
        if s is None:
            print("%-6s %24s" % (rt, "FAILED"))
            continue
        print("%-6s %8.2f [%6.2f-%7.2f] %8.2f [%6.2f-%7.2f] %8.2f [%4.1f-%4.1f]" % (
            rt, *s["wall_ms"], *s["cpu_ms"], *s["rss_mib"]))
    if k and (c or r):
        print("ratios keel/crun: wall %s cpu %s rss %s | keel/runc: wall %s cpu %s rss %s" % (
            ratio(k["wall_ms"][0], c and c["wall_ms"][0]), ratio(k["cpu_ms"][0], c and c["cpu_ms"][0]),
            ratio(k["rss_mib"][0], c and c["rss_mib"][0]), ratio(k["wall_ms"][0], r and r["wall_ms"][0]),
            ratio(k["cpu_ms"][0], r and r["cpu_ms"][0]), ratio(k["rss_mib"][0], r and r["rss_mib"][0])))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
