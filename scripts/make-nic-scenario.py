# Writes static/models/nic-as-os.json: 16 services on 4 worker cores behind one NIC, with
# bursty per-service load (each service's client is an MMPP: quiet most of the time, bursting
# now and then, so the load shifts between services). Run it again after changing numbers.
import json
SERVICES = 16
nodes = []
edges = []
for i in range(SERVICES):
    nodes.append({"id": f"c{i}", "kind": "client", "x": 60, "y": 40 * i,
                  "params": {"rate": "5000/s", "process": "mmpp",
                             "mmpp": {"burstRate": "65000/s", "meanOn": "2ms", "meanOff": "8ms"},
                             "classes": [{"name": f"s{i}", "service": f"s{i}"}]}})
    edges.append({"id": f"e{i}", "from": f"c{i}.out", "to": "nic.in"})
nodes.append({"id": "nic", "kind": "nic", "x": 300, "y": 320,
              "params": {"mode": "coherent", "lineRate": "100 Gbit/s", "rxQueues": 4, "ringSize": 1024,
                         "interruptCost": "1us", "stackCost": "2us", "pollCost": "200ns",
                         "coherenceLatency": "1us", "processQueue": 32, "tryAgain": "15 ms", "preemptAt": 0.5}})
nodes.append({"id": "host", "kind": "cores", "label": "4 worker cores", "x": 480, "y": 320,
              "params": {"count": 4, "scheduler": "per-core", "placement": "least-loaded",
                         "contextSwitch": "2us", "wakeup": "3us",
                         "processes": [{"name": f"s{i}", "handler": {"dist": "exp", "mean": "10 us"}, "threads": 4}
                                       for i in range(SERVICES)]}})
nodes.append({"id": "done", "kind": "sink", "x": 660, "y": 320})
edges.append({"id": "e-nic", "from": "nic.out", "to": "host.in"})
edges.append({"id": "e-done", "from": "host.out", "to": "done.in"})
doc = {
  "format": "systems-sandbox/model", "version": 1,
  "name": "The NIC as part of the OS",
  "notes": (
    "16 RPC services share 4 worker cores behind a NIC. Each service's callers are bursty "
    "(5,000/s quiet, 65,000/s in 2 ms bursts every 10 ms), so load keeps shifting; 10 µs "
    "handlers keep the cores ~70% busy. Change the NIC's mode and run again (same arrivals).\n"
    "kernel: an interrupt (1 µs) and stack work (2 µs) per packet on the ring's core, then a thread "
    "wake-up (3 µs) and a run queue.\n"
    "bypass: each core busy-polls the rings of 4 fixed services (0.2 µs each); it cannot help another "
    "core's services, so bursts queue while other cores spin.\n"
    "coherent: the NIC sees which core serves which service and hands requests to waiting cores "
    "(1 µs), moving cores to where the work is.\n"
    "Watch the sink's p50/p99, the host's drops and CPU split (cpu.*). Coherent has by far the best p50 "
    "and p99; bypass never idles. Against the paper: coherent's 32-entry queues overflow in "
    "bursts, and at a quarter of this load its tail is worst: each core waits in receive for the "
    "service it served last, so a cold service waits for a core to free up."
  ),
  "run": {"until": "4 s", "warmup": "auto", "seed": 1, "replications": 5},
  "nodes": nodes, "edges": edges
}
json.dump(doc, open("static/models/nic-as-os.json", "w"), indent=2, ensure_ascii=False)
print("wrote static/models/nic-as-os.json")
