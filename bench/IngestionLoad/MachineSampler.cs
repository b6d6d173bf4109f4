namespace Personalization.IngestionLoad;

/// <summary>CPU time of the machine, split by who used it, read from /proc (Linux only).</summary>
public readonly record struct CpuSnapshot(DateTime At, long MachineBusy, long MachineTotal, long Ingestion, long Postgres, long Driver);

/// <summary>CPU used between two snapshots, as percent of one core (so 200% is both cores of a 2-core box).</summary>
public sealed record CpuSplit(double Seconds, double Machine, double Ingestion, double Postgres, double Driver, double Other, int Cores)
{
    public override string ToString() =>
        $"machine {Machine:F0}% of {Cores * 100}% (ingestion {Ingestion:F0}%, postgres {Postgres:F0}%, load driver {Driver:F0}%, other {Other:F0}%)";
}

public static class MachineSampler
{
    private static readonly long TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuSnapshot Take(int? ingestionPid)
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var total = cpu.Take(8).Sum(); // user nice system idle iowait irq softirq steal
        var idle = cpu[3] + cpu[4];
        return new CpuSnapshot(
            DateTime.UtcNow,
            total - idle,
            total,
            ingestionPid is { } pid ? ProcessTicks(pid, includeChildren: false) : 0,
            PostgresTicks(),
            ProcessTicks(Environment.ProcessId, includeChildren: false));
    }

    public static CpuSplit Between(CpuSnapshot start, CpuSnapshot end)
    {
        var cores = Environment.ProcessorCount;
        var seconds = (end.At - start.At).TotalSeconds;
        // Machine figures come in jiffies summed over all cores; per-process ones in ticks of one core.
        var machineShare = (double)(end.MachineBusy - start.MachineBusy) / Math.Max(1, end.MachineTotal - start.MachineTotal) * cores * 100;
        double Percent(long ticks) => ticks / (double)TicksPerSecond / seconds * 100;
        var ingestion = Percent(end.Ingestion - start.Ingestion);
        var postgres = Percent(end.Postgres - start.Postgres);
        var driver = Percent(end.Driver - start.Driver);
        return new CpuSplit(seconds, machineShare, ingestion, postgres, driver, Math.Max(0, machineShare - ingestion - postgres - driver), cores);
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

    // Every postgres process alive now, plus what the postmaster has collected from backends that have exited.
    private static long PostgresTicks()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() != "postgres") continue;
                ticks += ProcessTicks(pid, includeChildren: true);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return ticks;
    }

    private static long ProcessTicks(int pid, bool includeChildren)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var own = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime
            return includeChildren ? own + long.Parse(fields[13]) + long.Parse(fields[14]) : own; // cutime, cstime
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
