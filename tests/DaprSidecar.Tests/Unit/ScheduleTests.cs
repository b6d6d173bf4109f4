using Personalization.DaprSidecar.Durations;
using Personalization.DaprSidecar.Reminders;

namespace Personalization.DaprSidecar.Tests.Unit;

public class ScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static ScheduleRequest Request(string dueTime = "", string period = "", string ttl = "") => new(dueTime, period, ttl, null, null);

    [Test]
    public void Due_time_counts_from_now_and_ttl_from_the_due_time()
    {
        var schedule = Schedule.Plan(Request("0h0m5s0ms", "0h0m1s0ms", "0h0m10s0ms"), Now, isTimer: false);
        Assert.That(schedule.FirstFireAt, Is.EqualTo(Now.AddSeconds(5)));
        Assert.That(schedule.ExpiresAt, Is.EqualTo(Now.AddSeconds(15)));
    }

    [Test]
    public void No_due_time_fires_now()
    {
        Assert.That(Schedule.Plan(Request(), Now, isTimer: true).FirstFireAt, Is.EqualTo(Now));
    }

    [Test]
    public void Reminder_periods_with_days_are_refused_as_by_the_scheduler_but_timers_take_them()
    {
        Assert.That(() => Schedule.Plan(Request(period: "P1D"), Now, isTimer: false),
            Throws.TypeOf<FormatException>().With.Message.Contains("unsupported period format: P1D"));
        Assert.That(Schedule.Plan(Request(period: "P1D"), Now, isTimer: true).Period.Days, Is.EqualTo(1));
    }

    [Test]
    public void An_already_expired_schedule_is_refused()
    {
        Assert.That(() => Schedule.Plan(Request(ttl: "2020-01-01T00:00:00Z"), Now, isTimer: false),
            Throws.TypeOf<FormatException>().With.Message.Contains("already expired"));
    }

    [Test]
    public void One_shot_is_done_after_its_fire()
    {
        Assert.That(Schedule.AfterFire(Now, ReminderPeriod.None, ReminderPeriod.Unlimited, null, Now).Done, Is.True);
    }

    [Test]
    public void Periodic_moves_on_by_its_period_from_the_scheduled_time()
    {
        var (done, next, left) = Schedule.AfterFire(Now, ReminderPeriod.Parse("PT10S"), ReminderPeriod.Unlimited, null, Now.AddSeconds(0.5));
        Assert.That((done, next, left), Is.EqualTo((false, Now.AddSeconds(10), ReminderPeriod.Unlimited)));
    }

    [Test]
    public void Repetitions_count_down_to_done()
    {
        var period = ReminderPeriod.Parse("R3/PT1S");
        var (done1, next1, left1) = Schedule.AfterFire(Now, period, period.Repetitions, null, Now);
        var (done2, next2, left2) = Schedule.AfterFire(next1, period, left1, null, next1);
        var (done3, _, _) = Schedule.AfterFire(next2, period, left2, null, next2);
        Assert.That((done1, left1, done2, left2, done3), Is.EqualTo((false, 2, false, 1, true)));
    }

    [Test]
    public void Ttl_ends_a_periodic_schedule()
    {
        var expires = Now.AddSeconds(25);
        Assert.That(Schedule.AfterFire(Now.AddSeconds(10), ReminderPeriod.Parse("PT10S"), -1, expires, Now.AddSeconds(10)).Done, Is.False);
        Assert.That(Schedule.AfterFire(Now.AddSeconds(20), ReminderPeriod.Parse("PT10S"), -1, expires, Now.AddSeconds(20)).Done, Is.True);
    }

    [Test]
    public void Ticks_missed_while_down_are_skipped_not_replayed()
    {
        var (done, next, _) = Schedule.AfterFire(Now, ReminderPeriod.Parse("PT10S"), -1, null, Now.AddSeconds(95));
        Assert.That(done, Is.False);
        Assert.That(next, Is.EqualTo(Now.AddSeconds(100)));
    }
}
