namespace Personalization.Bench;

/// <summary>CPU time of the machine, split by who used it, read from /proc (Linux only).</summary>
public sealed record CpuSnapshot(
    DateTime At, long MachineBusy, long MachineTotal, long Interrupts, int? ServicePid, long Service, long Driver,
    Dictionary<int, (string Name, long Ticks)> Processes);

/// <summary>CPU used between two snapshots, as percent of one core (so 200% is both cores of a 2-core box).</summary>
public sealed record CpuSplit(
    double Seconds, double Machine, double Service, double Postgres, double PostgresServer, double Driver, double Interrupts, double Other, int Cores, string TopOthers)
{
    public override string ToString() =>
        $"machine {Machine:F0}% of {Cores * 100}% ({MachineSampler.ServiceName} {Service:F0}%, postgres {Postgres + PostgresServer:F0}% = backends {Postgres:F0}% + " +
        $"wal/checkpoint/autovacuum {PostgresServer:F0}%, load driver {Driver:F0}%, kernel softirq {Interrupts:F0}%, " +
        $"other processes {Other:F0}%{(TopOthers.Length > 0 ? ": " + TopOthers : "")})";
}

public static class MachineSampler
{
    private static readonly long TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>What the process under test is called in the split.</summary>
    public static string ServiceName { get; set; } = "ingestion";

    /// <summary>The database under test: its backends count as postgres; other databases' backends (other people's tests) as other.</summary>
    public static string? Database { get; set; }

    public static CpuSnapshot Take(int? servicePid)
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var total = cpu.Take(8).Sum(); // user nice system idle iowait irq softirq steal
        var idle = cpu[3] + cpu[4];
        var processes = AllProcesses();
        return new CpuSnapshot(
            DateTime.UtcNow,
            total - idle,
            total,
            cpu[5] + cpu[6],
            servicePid,
            servicePid is { } pid ? ProcessTicks(pid) : 0,
            Driver: ProcessTicks(Environment.ProcessId),
            Processes: processes);
    }

    public static CpuSplit Between(CpuSnapshot start, CpuSnapshot end)
    {
        var cores = Environment.ProcessorCount;
        var seconds = (end.At - start.At).TotalSeconds;
        // Machine figures come in jiffies summed over all cores; per-process ones in ticks of one core.
        var machineShare = (double)(end.MachineBusy - start.MachineBusy) / Math.Max(1, end.MachineTotal - start.MachineTotal) * cores * 100;
        double Percent(long ticks) => ticks / (double)TicksPerSecond / seconds * 100;
        var service = Percent(end.Service - start.Service);
        // Per process, so one that exits mid-phase (an autovacuum worker) neither adds nor takes away.
        var used = end.Processes.ToDictionary(p => p.Key, p => (p.Value.Name, Ticks: p.Value.Ticks - (start.Processes.TryGetValue(p.Key, out var before) ? before.Ticks : 0)));
        var postgres = Percent(used.Values.Where(p => p.Name == "postgres:bench").Sum(p => p.Ticks));
        var postgresServer = Percent(used.Values.Where(p => p.Name == "postgres:server").Sum(p => p.Ticks));
        var driver = Percent(end.Driver - start.Driver);
        var interrupts = (double)(end.Interrupts - start.Interrupts) / Math.Max(1, end.MachineTotal - start.MachineTotal) * cores * 100;
        // Who else ran: other engineers' builds and tests on a shared box show up here.
        var others = used
            .Where(p => p.Value.Name is not ("postgres:bench" or "postgres:server") && p.Key != Environment.ProcessId && p.Key != end.ServicePid)
            .Select(p => (p.Value.Name, Percent(p.Value.Ticks)))
            .Where(p => p.Item2 >= 2)
            .OrderByDescending(p => p.Item2)
            .Take(4)
            .Select(p => $"{p.Name} {p.Item2:F0}%");
        return new CpuSplit(seconds, machineShare, service, postgres, postgresServer, driver, interrupts,
            Math.Max(0, machineShare - service - postgres - postgresServer - driver - interrupts), cores, string.Join(", ", others));
    }


    /// <summary>Peak and current resident memory of a process, in MiB (VmHWM, VmRSS).</summary>
    public static (double PeakMiB, double CurrentMiB)? Memory(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path)) return null;
        double Read(string key) =>
            File.ReadLines(path).Where(l => l.StartsWith(key + ":")).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0).FirstOrDefault();
        return (Read("VmHWM"), Read("VmRSS"));
    }

    // Every process alive now. Backends that exit mid-phase are missed; the driver and the API keep pooled connections.
    private static Dictionary<int, (string Name, long Ticks)> AllProcesses()
    {
        var all = new Dictionary<int, (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                if (name == "postgres") name = PostgresRole(dir);
                all[pid] = (name, ProcessTicks(pid));
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return all;
    }

    // "postgres: user database host(port) state" is a backend; the postmaster and "postgres: walwriter" etc. serve all.
    private static string PostgresRole(string dir)
    {
        var title = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var isBackend = title.Length >= 4 && title[0] == "postgres:" && title[3].Contains('(');
        if (!isBackend) return title.Length > 1 && title[1] == "autovacuum" && title.Length > 3 && title[3] != Database ? "postgres:other-db" : "postgres:server";
        return title[2] == Database ? "postgres:bench" : "postgres:other-db";
    }

    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
