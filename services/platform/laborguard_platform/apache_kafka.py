"""Apache Kafka on this machine: the pinned broker, 1 or 3 nodes on free loopback ports.

The broker is the `org.apache.kafka:kafka_2.13` artifact pinned in deploy/kafka/pom.xml, with its
runtime dependencies. Maven resolves them once (`mvn dependency:copy-dependencies`, cached in
~/.m2) into var/kafka/<version>/libs (or $LABORGUARD_KAFKA_HOME/<version>/libs); every later start
reuses that directory. Each node is a combined broker + KRaft controller
(`java -cp 'libs/*' kafka.Kafka server.properties`) whose storage is formatted in a fresh
directory, so a cluster starts empty and keeps its data on disk until it is stopped: a node killed
with SIGKILL and restarted comes back with its log.

Tests and benchmarks choose the broker settings (min.insync.replicas, segment sizes, the log
cleaner's pace) through `overrides`; `python -m laborguard_platform.apache_kafka resolve` fetches
the jars (CI does it once, up front), `... run --brokers 3` starts a cluster until Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import fcntl
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from laborguard_platform.embedded_broker import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[3]
POM = ROOT / "deploy" / "kafka" / "pom.xml"
HOME_ENV = "LABORGUARD_KAFKA_HOME"
# Small heap: two cores and several engineers share the machine; a test broker holds little.
# SerialGC: one GC thread, no concurrent marking competing for the two cores.
JVM_OPTIONS = ("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true")


class KafkaLaunchError(RuntimeError):
    """The broker could not be resolved, formatted or started; the message says which and why."""


def kafka_version(pom: Path = POM) -> str:
    found = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom.read_text())
    if found is None:
        raise KafkaLaunchError(f"no <kafka.version> in {pom}")
    return found.group(1).strip()


def kafka_home() -> Path:
    return Path(os.environ.get(HOME_ENV) or ROOT / "var" / "kafka")


def resolve_libs(pom: Path = POM) -> Path:
    """The directory of the pinned broker's jars, resolved through Maven on first use."""
    libs = kafka_home() / kafka_version(pom) / "libs"
    done = libs / ".resolved"
    if done.exists():
        return libs
    libs.parent.mkdir(parents=True, exist_ok=True)
    with (libs.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two processes resolving at once: the second waits
        if not done.exists():
            _copy_dependencies(pom, libs)
    return libs


def _copy_dependencies(pom: Path, libs: Path) -> None:
    if shutil.which("mvn") is None or shutil.which("java") is None:
        raise KafkaLaunchError("Apache Kafka needs `java` (17+) and `mvn` on PATH")
    staging = Path(tempfile.mkdtemp(prefix="libs-", dir=libs.parent))
    argv = ["mvn", "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"]
    argv += ["-DincludeScope=runtime", f"-DoutputDirectory={staging}"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not any(staging.glob("kafka_2.13-*.jar")):
        shutil.rmtree(staging, ignore_errors=True)
        output = (done.stdout + done.stderr)[-3000:]
        raise KafkaLaunchError(f"Maven could not resolve the Kafka jars ({pom}):\n{output}")
    (staging / ".resolved").write_text(kafka_version(pom) + "\n")
    shutil.rmtree(libs, ignore_errors=True)
    staging.rename(libs)


def cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (as Kafka's Uuid).

    Never one starting with "-" (Kafka's Uuid.randomUuid skips those too): the storage tool takes
    it for an option ("argument --cluster-id/-t: expected one argument"), which failed one broker
    start in 64."""
    while True:
        found = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not found.startswith("-"):
            return found


_LOG4J = """Configuration:
  Appenders:
    File:
      name: file
      fileName: "{log}"
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: file
    Logger:
      - name: kafka.server.KafkaRaftServer
        level: INFO
"""


@dataclass
class Node:
    """One combined broker + controller: its ports, directory and process."""

    node_id: int
    port: int
    controller_port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def properties(self) -> Path:
        return self.directory / "server.properties"

    @property
    def log_path(self) -> Path:
        return self.directory / "server.log"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self, chars: int = 3000) -> str:
        logs = [self.directory / "stdout.log", self.log_path]
        return "\n".join(p.read_text(errors="replace")[-chars:] for p in logs if p.exists())


@dataclass
class ApacheKafka:
    """1 or 3 nodes of the pinned Apache Kafka on loopback; start, kill/restart a node, stop.

    `overrides` are broker properties on top of the defaults below (e.g. `min.insync.replicas`,
    `log.cleaner.backoff.ms`); the internal topics are replicated min(3, brokers) times."""

    brokers: int = 1
    overrides: Mapping[str, str] = field(default_factory=dict)
    workdir: Path | None = None
    jvm_options: tuple[str, ...] = JVM_OPTIONS
    # Broker port of the first node (0: a free one); the others always get free ports.
    port: int = 0
    # Each JVM in a session of its own (Ctrl-C in a terminal reaches only the launcher); off when
    # the launcher is itself a child of the stack, whose stop signals its whole process group.
    own_session: bool = True
    nodes: list[Node] = field(default_factory=list)
    _owned_dir: Path | None = None

    @property
    def bootstrap(self) -> str:
        return ",".join(node.bootstrap for node in self.nodes)

    @property
    def replication(self) -> int:
        return min(3, self.brokers)

    def node(self, node_id: int) -> Node:
        return next(node for node in self.nodes if node.node_id == node_id)

    def broker_properties(self, node: Node) -> dict[str, str]:
        voters = ",".join(f"{n.node_id}@127.0.0.1:{n.controller_port}" for n in self.nodes)
        replicas = str(self.replication)
        defaults = {
            "process.roles": "broker,controller",
            "node.id": str(node.node_id),
            "controller.quorum.voters": voters,
            "listeners": f"PLAINTEXT://127.0.0.1:{node.port},"
            f"CONTROLLER://127.0.0.1:{node.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{node.port}",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name": "PLAINTEXT",
            "log.dirs": str(node.directory / "data"),
            "default.replication.factor": replicas,
            "offsets.topic.replication.factor": replicas,
            "offsets.topic.num.partitions": "10",  # 50 by default: a slower first group join
            "transaction.state.log.replication.factor": replicas,
            "transaction.state.log.min.isr": str(min(2, self.brokers)),
            "transaction.state.log.num.partitions": "10",
            "share.coordinator.state.topic.replication.factor": replicas,
            "share.coordinator.state.topic.min.isr": str(min(2, self.brokers)),
            "group.initial.rebalance.delay.ms": "0",
            # a transaction left open by a killed producer is aborted within ~1 s of its timeout
            "transaction.abort.timed.out.transaction.cleanup.interval.ms": "1000",
            "num.partitions": "4",  # what the embedded broker gives an auto-created topic
        }
        return {**defaults, **self.overrides}

    def start(self, timeout: float = 120.0) -> None:
        """Resolves the jars, formats every node's storage and starts them; returns when every
        broker is registered and answers metadata. Raises KafkaLaunchError with the logs."""
        if self.nodes:
            raise KafkaLaunchError("this cluster was started already")
        libs = resolve_libs()
        if self.workdir is None:
            self._owned_dir = self.workdir = Path(tempfile.mkdtemp(prefix="laborguard-kafka-"))
        self.nodes = [
            Node(i, (i == 1 and self.port) or free_port(), free_port(), self.workdir / f"node-{i}")
            for i in range(1, self.brokers + 1)
        ]
        for node in self.nodes:
            node.directory.mkdir(parents=True, exist_ok=True)
            properties = self.broker_properties(node)
            node.properties.write_text("".join(f"{k}={v}\n" for k, v in properties.items()))
            (node.directory / "log4j2.yaml").write_text(_LOG4J.format(log=node.log_path))
        try:
            self._format(libs)  # a failed format, too, leaves no temporary directory behind
            for node in self.nodes:
                self._launch(node, libs)
            self.wait_ready(timeout)
        except BaseException:
            self.stop(graceful=False)
            raise

    def _java(self, libs: Path, node: Node, main: str, *args: str) -> list[str]:
        log4j = f"-Dlog4j2.configurationFile={node.directory / 'log4j2.yaml'}"
        return ["java", *self.jvm_options, log4j, "-cp", f"{libs}/*", main, *args]

    def _format(self, libs: Path) -> None:
        cluster = cluster_id()
        formats = [
            subprocess.Popen(
                self._java(
                    libs,
                    node,
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    cluster,
                    "-c",
                    str(node.properties),
                ),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for node in self.nodes
        ]
        for node, process in zip(self.nodes, formats, strict=True):
            output, _ = process.communicate(timeout=120)
            if process.returncode != 0:
                raise KafkaLaunchError(
                    f"formatting node {node.node_id} failed: {output.decode(errors='replace')}"
                )

    def _launch(self, node: Node, libs: Path) -> None:
        with (node.directory / "stdout.log").open("ab") as out:
            node.process = subprocess.Popen(
                self._java(libs, node, "kafka.Kafka", str(node.properties)),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=self.own_session,
            )

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Until every running node listens and the cluster's metadata lists all of them."""
        deadline = time.monotonic() + timeout
        running = [node for node in self.nodes if node.running]
        for node in self.nodes:
            while not _listening(node):
                self._check_alive(node)
                if time.monotonic() > deadline:
                    raise KafkaLaunchError(f"node {node.node_id} not listening:\n{node.log()}")
                time.sleep(0.1)
        while asyncio.run(_registered_brokers(self.bootstrap)) < len(running):
            if time.monotonic() > deadline:
                raise KafkaLaunchError(f"not every broker registered after {timeout:.0f}s")
            time.sleep(0.2)

    def _check_alive(self, node: Node) -> None:
        if node.process is not None and node.process.poll() is not None:
            raise KafkaLaunchError(
                f"node {node.node_id} exited with {node.process.returncode}:\n{node.log()}"
            )

    def kill(self, node_id: int) -> None:
        """SIGKILL one node: no controlled shutdown, no flush (its data directory stays)."""
        node = self.node(node_id)
        if node.process is not None and node.running:
            node.process.send_signal(signal.SIGKILL)
            node.process.wait()

    def restart(self, node_id: int, timeout: float = 120.0) -> None:
        """Starts a stopped or killed node again on its own data and ports."""
        node = self.node(node_id)
        if node.running:
            return
        self._launch(node, resolve_libs())
        deadline = time.monotonic() + timeout
        while not _listening(node):
            self._check_alive(node)
            if time.monotonic() > deadline:
                raise KafkaLaunchError(f"node {node_id} not listening again:\n{node.log()}")
            time.sleep(0.1)
        self.wait_ready(max(1.0, deadline - time.monotonic()))

    def pids(self) -> list[int]:
        return [n.process.pid for n in self.nodes if n.process is not None and n.running]

    def stop(self, timeout: float = 20.0, graceful: bool = True) -> None:
        """SIGTERM (a controlled shutdown) or SIGKILL every node, then removes a temporary
        directory the cluster made for itself."""
        stopping = [n.process for n in self.nodes if n.process is not None and n.running]
        for process in stopping:
            process.send_signal(signal.SIGTERM if graceful else signal.SIGKILL)
        deadline = time.monotonic() + timeout
        for process in stopping:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()  # the last nodes of a quorum may wait for the ones gone
                process.wait()
        for node in self.nodes:
            node.process = None
        if self._owned_dir is not None:
            shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._owned_dir = None


def _listening(node: Node) -> bool:
    try:
        wait_for_port("127.0.0.1", node.port, timeout=0.1)
    except TimeoutError:
        return False
    return True


async def _registered_brokers(bootstrap: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        await admin.start()
        cluster = await admin.describe_cluster()
        return len(cluster["brokers"])
    except Exception:  # not up yet: any client error means "ask again"
        return 0
    finally:
        with contextlib.suppress(Exception):
            await admin.close()


@contextlib.contextmanager
def running_kafka(
    brokers: int = 1,
    overrides: Mapping[str, str] | None = None,
    workdir: Path | None = None,
    port: int = 0,
    own_session: bool = True,
) -> Iterator[ApacheKafka]:
    cluster = ApacheKafka(
        brokers, dict(overrides or {}), workdir, port=port, own_session=own_session
    )
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop(graceful=False)


READY_MARK = "ready in"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM: stop the nodes like Ctrl-C does


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m laborguard_platform.apache_kafka")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("resolve", help="fetch the pinned broker's jars (once; cached)")
    run = commands.add_parser("run", help="start a cluster until Ctrl-C")
    run.add_argument("--brokers", type=int, choices=(1, 3), default=1)
    run.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    run.add_argument("--port", type=int, default=0, help="first node's broker port (0: free)")
    run.add_argument("--workdir", type=Path, help="data and logs, made afresh (default: temp)")
    run.add_argument("--child", action="store_true", help="nodes in the launcher's process group")
    args = parser.parse_args(argv)
    try:
        if args.command == "resolve":
            print(resolve_libs())
            return
        overrides = dict(item.split("=", 1) for item in args.set)
        if args.workdir is not None:
            shutil.rmtree(args.workdir, ignore_errors=True)  # a new cluster: nothing kept
        signal.signal(signal.SIGTERM, _interrupt)
        started = time.monotonic()
        with running_kafka(
            args.brokers, overrides, args.workdir, args.port, own_session=not args.child
        ) as cluster:
            ready = time.monotonic() - started
            print(
                f"Apache Kafka {kafka_version()} {READY_MARK} {ready:.1f}s: {cluster.bootstrap}",
                flush=True,
            )
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
    except KafkaLaunchError as exc:
        raise SystemExit(f"apache_kafka: {exc}") from None


if __name__ == "__main__":
    main()
