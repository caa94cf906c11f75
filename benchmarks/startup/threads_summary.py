# Medians of threads.sh output per variant and thread name (ms of CPU), and the differences to "none"
# (a "before" column when threads.sh ran an older build too).
import sys, statistics as st, collections
d=collections.defaultdict(lambda: collections.defaultdict(list)); runs=collections.Counter()
for l in open(sys.argv[1]):
    p=l.split()
    if not p: continue
    runs[p[0]]+=1
    for kv in p[1:]:
        k,v=kv.split('='); d[p[0]][k].append(int(v))
names=sorted({k for v in d.values() for k in v if not k.startswith('app:')})
apps=sorted({k for v in d.values() for k in v if k.startswith('app:')})
vs=[v for v in ('before','tds') if runs[v]]
def med(v,k):
    xs=d[v][k]+[0]*(runs[v]-len(d[v][k])); return st.median(xs)
def total(v):
    return st.median([sum(x) for x in zip(*[d[v][k]+[0]*(runs[v]-len(d[v][k])) for k in names])])
def row(label,a,bs):
    print("| %s | %.0f | %s |"%(label,a," | ".join("%.0f | %+.0f"%(b,b-a) for b in bs)))
print("| thread | none ms | %s |"%" | ".join("%s ms | Δ ms"%v for v in vs))
print("|---|---:|%s"%("---:|---:|"*len(vs)))
for k in names:
    a=med('none',k); bs=[med(v,k) for v in vs]
    if a or any(bs): row(k,a,bs)
row("all live threads",total('none'),[total(v) for v in vs])
for k in apps:
    row("%s (ms, the application's thread, in the call)"%k[4:],med('none',k),[med(v,k) for v in vs])
