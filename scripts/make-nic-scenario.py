# Writes static/models/nic-as-os.json: 16 services on 4 worker cores behind one NIC, with
# bursty per-service load (each service's client is an MMPP: quiet most of the time, bursting
# now and then, so the load shifts between services). Run it again after changing numbers.
import json
SERVICES = 16
nodes = []
edges = []
for i in range(SERVICES):
    nodes.append({"id": f"svc{i}", "kind": "client", "label": f"callers of s{i}", "x": 60, "y": 40 + 36 * i,
                  "params": {"rate": "5000/s", "process": "mmpp",
                             "mmpp": {"burstRate": "65000/s", "meanOn": "2 ms", "meanOff": "8 ms"},
                             "classes": [{"name": f"s{i}", "service": f"s{i}", "size": "256 B"}]}})
    edges.append({"id": f"e{i}", "from": f"svc{i}.out", "to": "nic.in"})
nodes.append({"id": "nic", "kind": "nic", "label": "NIC", "x": 300, "y": 320,
              "params": {"mode": "coherent", "lineRate": "100 Gbit/s", "rxQueues": 4, "ringSize": 1024,
                         "interruptCost": "1 us", "stackCost": "2 us", "pollCost": "200 ns",
                         "coherenceLatency": "1 us", "processQueue": 32, "tryAgain": "15 ms", "preemptAt": 0.5}})
nodes.append({"id": "host", "kind": "cores", "label": "4 worker cores", "x": 480, "y": 320,
              "params": {"count": 4, "scheduler": "per-core", "placement": "least-loaded",
                         "contextSwitch": "2 us", "wakeup": "3 us",
                         "processes": [{"name": f"s{i}", "handler": {"dist": "exp", "mean": "10 us"}, "threads": 4}
                                       for i in range(SERVICES)]}})
nodes.append({"id": "done", "kind": "sink", "label": "replies", "x": 660, "y": 320})
edges.append({"id": "e-nic", "from": "nic.out", "to": "host.in"})
edges.append({"id": "e-done", "from": "host.out", "to": "done.in"})
doc = {
  "format": "systems-sandbox/model", "version": 1,
  "name": "The NIC as part of the OS",
  "notes": (
    "Sixteen RPC services share four worker cores behind one NIC. Each service's callers are bursty "
    "(an MMPP: 5,000 requests/s while quiet, 65,000/s during 2 ms bursts every 10 ms on average), so the "
    "load keeps moving from service to service; handlers take 10 µs on average, and the cores are about "
    "70% busy with handler work alone.\n\n"
    "Switch the NIC's mode and run again: the arrivals stay the same (each caller has its own random "
    "stream).\n"
    "• kernel: the NIC spreads packets over four receive rings, one per core; each packet costs an "
    "interrupt (1 µs) and network-stack work (2 µs) on that core, then wakes a thread of the service (3 µs) "
    "that waits in a run queue. Every request pays this overhead, and CPU goes to it instead of handlers.\n"
    "• bypass: each core is pinned to four services and busy-polls their rings, running handlers to "
    "completion for 0.2 µs of overhead. Cheap per request, but a core cannot help another core's services: "
    "when a burst lands on services that share a core, their requests queue while other cores spin idle.\n"
    "• coherent: the NIC reads which core runs which service (over a cache-coherent interconnect) and hands "
    "each request straight to a core waiting for that service (1 µs), moving cores to the services that "
    "have work. It follows the load like the kernel and keeps the per-request cost near bypass.\n\n"
    "What to look at: the sink's p50 and p99, drops at the host (rings and queues that overflow), and the "
    "host's CPU split (extras cpu.*: handler against interrupt, stack, polling, switching).\n\n"
    "What the model shows at this load: coherent has by far the lowest p50 and p99, bypass is next and kernel "
    "last; bypass never lets a core go idle. Where it disagrees with the paper's hopes: coherent's 32-entry "
    "per-service queues overflow during bursts (the others' 1,024-entry rings do not), and at a quarter of "
    "this load coherent has the worst tail — every core sits blocked in receive for the service it served "
    "last, so a request for a cold service waits until some core finds its own queue empty, the queue is "
    "half full, or a 15 ms try-again expires, while the kernel and bypass serve it at once."
  ),
  "run": {"until": "4 s", "warmup": "auto", "seed": 1, "replications": 5},
  "nodes": nodes, "edges": edges
}
json.dump(doc, open("static/models/nic-as-os.json", "w"), indent=2, ensure_ascii=False)
print("wrote static/models/nic-as-os.json")
